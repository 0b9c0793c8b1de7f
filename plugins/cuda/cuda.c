/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The cuda plugin: SGEMM on an NVIDIA GPU through cuBLAS (C API; no device
 * code of our own, so no nvcc).
 *
 * An instance owns one device (option `device`) and a pool of device
 * memory: a call takes one block big enough for its three matrices and
 * gives it back, so repeated calls of one size allocate once. A session
 * gets its own stream, cuBLAS handle and pinned staging buffer (the
 * session hooks), so sessions on different threads never wait for each
 * other's copies.
 *
 * Without a usable device the instance still loads: init succeeds, the
 * instance says why it is unavailable (describe), and serves() is false,
 * so routing passes its ops to the next instance of the profile.
 */
#include <cublas_v2.h>
#include <cuda_runtime_api.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <vaccel/plugin.h>

static const char *const option_keys[] = { "device", "pool-limit", "tf32", NULL };

/* Device allocations are rounded up to this, so a block fits several shapes. */
#define POOL_ALIGN ((size_t)1 << 20)

struct block {
	void *dev;
	size_t size;
	bool busy;
	struct block *next;
};

struct cuda_instance {
	int device;
	bool available;
	bool tf32;
	size_t pool_limit;      /* bytes the pool may hold; 0: no limit */
	char state[160];        /* what describe() says */
	pthread_mutex_t lock;   /* the pool */
	struct block *blocks;
	size_t held;            /* bytes allocated by the pool, busy or idle */
};

/* A session's stream, handle and pinned staging; lock: one call at a time. */
struct cuda_session {
	pthread_mutex_t lock;
	cudaStream_t stream;
	cublasHandle_t blas;
	void *staging;
	size_t staging_size;
};

/* ---- errors ---- */

static int cuda_fail(cudaError_t err, const char *what)
{
	vaccel_error("cuda: %s: %s", what, cudaGetErrorString(err));
	return err == cudaErrorMemoryAllocation ? VACCEL_ENOMEM : VACCEL_EIO;
}

static int blas_fail(cublasStatus_t st, const char *what)
{
	vaccel_error("cuda: %s: %s", what, cublasGetStatusString(st));
	return st == CUBLAS_STATUS_ALLOC_FAILED ? VACCEL_ENOMEM : VACCEL_EIO;
}

/* ---- options ---- */

/* "N", or N with a suffix K, M, G (or KiB, MiB, GiB): bytes. */
static bool parse_size(const char *s, size_t *out)
{
	static const struct { const char *suffix; unsigned shift; } units[] = {
		{ "", 0 }, { "B", 0 }, { "K", 10 }, { "KiB", 10 }, { "M", 20 },
		{ "MiB", 20 }, { "G", 30 }, { "GiB", 30 },
	};
	char *end;
	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return false;
	while (*end == ' ')
		end++;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix))
			continue;
		if (v > (unsigned long long)SIZE_MAX >> units[i].shift)
			return false;
		*out = (size_t)(v << units[i].shift);
		return true;
	}
	return false;
}

static int option_size(const struct vaccel_plugin_options *opts, const char *key,
		       size_t *out)
{
	const char *const *items;
	*out = 0;
	if (!vaccel_plugin_option_list(opts, key, &items))
		return VACCEL_OK;
	const char *v = vaccel_plugin_option(opts, key);
	if (!parse_size(v, out)) {
		vaccel_plugin_option_error(opts, key, "expected a size in bytes, optionally "
					   "with K, M or G (KiB, MiB, GiB), got '%s'",
					   v ? v : "a list");
		return VACCEL_EINVAL;
	}
	return VACCEL_OK;
}

/* ---- the instance ---- */

/* Whether the device is there; if not, state says why. */
static bool probe_device(struct cuda_instance *ci)
{
	int count = 0;
	cudaError_t err = cudaGetDeviceCount(&count);
	int driver = 0;
	if (err != cudaSuccess && cudaDriverGetVersion(&driver) == cudaSuccess && !driver) {
		snprintf(ci->state, sizeof(ci->state),
			 "unavailable: no CUDA device (no NVIDIA driver loaded)");
		return false;
	}
	if (err != cudaSuccess || !count) {
		snprintf(ci->state, sizeof(ci->state), "unavailable: no CUDA device (%s)",
			 err ? cudaGetErrorString(err) : "none found");
		return false;
	}
	if (ci->device >= count) {
		snprintf(ci->state, sizeof(ci->state),
			 "unavailable: no CUDA device %d (%d found)", ci->device, count);
		return false;
	}
	struct cudaDeviceProp prop;
	/* cudaFree(NULL) makes the context now, not in the first call. */
	if ((err = cudaSetDevice(ci->device)) != cudaSuccess ||
	    (err = cudaGetDeviceProperties(&prop, ci->device)) != cudaSuccess ||
	    (err = cudaFree(NULL)) != cudaSuccess) {
		snprintf(ci->state, sizeof(ci->state), "unavailable: CUDA device %d: %s",
			 ci->device, cudaGetErrorString(err));
		return false;
	}
	char limit[32] = "none";
	if (ci->pool_limit)
		snprintf(limit, sizeof(limit), "%zu MiB", ci->pool_limit >> 20);
	snprintf(ci->state, sizeof(ci->state),
		 "device %d: %.64s, %.0f GiB, sm %d.%d, tf32 %s, pool-limit %s", ci->device,
		 prop.name, (double)prop.totalGlobalMem / (1 << 30), prop.major, prop.minor,
		 ci->tf32 ? "on" : "off", limit);
	return true;
}

static int cuda_init(const struct vaccel_plugin_options *opts, void **ctx)
{
	long device;
	bool tf32;
	size_t limit;
	int ret;
	if ((ret = vaccel_plugin_option_long(opts, "device", 0, 0, INT_MAX, &device)) ||
	    (ret = vaccel_plugin_option_bool(opts, "tf32", false, &tf32)) ||
	    (ret = option_size(opts, "pool-limit", &limit)))
		return ret;
	struct cuda_instance *ci = calloc(1, sizeof(*ci));
	if (!ci)
		return VACCEL_ENOMEM;
	*ci = (struct cuda_instance){ .device = (int)device, .tf32 = tf32, .pool_limit = limit };
	pthread_mutex_init(&ci->lock, NULL);
	ci->available = probe_device(ci);
	if (ci->available)
		vaccel_debug("cuda: %s", ci->state);
	else
		vaccel_info("cuda: %s", ci->state);
	*ctx = ci;
	return VACCEL_OK;
}

static void cuda_fini(void *ctx)
{
	struct cuda_instance *ci = ctx;
	if (ci->available)
		cudaSetDevice(ci->device);
	while (ci->blocks) {
		struct block *b = ci->blocks;
		ci->blocks = b->next;
		cudaFree(b->dev);
		free(b);
	}
	pthread_mutex_destroy(&ci->lock);
	free(ci);
}

static bool cuda_serves(void *ctx, vaccel_op_type_t op)
{
	(void)op;
	return ((struct cuda_instance *)ctx)->available;
}

static void cuda_describe(void *ctx, char *buf, size_t len)
{
	snprintf(buf, len, "%s", ((struct cuda_instance *)ctx)->state);
}

/* ---- the device-memory pool ---- */

/* Free the idle blocks until `need` more bytes fit under the limit. Lock held. */
static void pool_trim(struct cuda_instance *ci, size_t need, bool all)
{
	for (struct block **pb = &ci->blocks; *pb;) {
		struct block *b = *pb;
		if (!all && (!ci->pool_limit || ci->held + need <= ci->pool_limit))
			return;
		if (b->busy) {
			pb = &b->next;
			continue;
		}
		*pb = b->next;
		ci->held -= b->size;
		cudaFree(b->dev);
		free(b);
	}
}

/*
 * A block of at least `size` bytes: the smallest idle one that is no more
 * than twice as big, else a new one. The caller's thread has the device set.
 */
static int pool_get(struct cuda_instance *ci, size_t size, struct block **out)
{
	size = (size + POOL_ALIGN - 1) / POOL_ALIGN * POOL_ALIGN;
	pthread_mutex_lock(&ci->lock);
	struct block *best = NULL;
	for (struct block *b = ci->blocks; b; b = b->next)
		if (!b->busy && b->size >= size && b->size / 2 <= size &&
		    (!best || b->size < best->size))
			best = b;
	int ret = VACCEL_OK;
	if (best) {
		best->busy = true;
		goto out;
	}
	pool_trim(ci, size, false);
	if (ci->pool_limit && ci->held + size > ci->pool_limit) {
		vaccel_error("cuda: %zu MiB more would pass pool-limit (%zu MiB, %zu MiB in use)",
			     size >> 20, ci->pool_limit >> 20, ci->held >> 20);
		ret = VACCEL_ENOMEM;
		goto out;
	}
	best = calloc(1, sizeof(*best));
	if (!best) {
		ret = VACCEL_ENOMEM;
		goto out;
	}
	cudaError_t err = cudaMalloc(&best->dev, size);
	if (err == cudaErrorMemoryAllocation) {
		/* Idle blocks of other sizes may be what is in the way. */
		cudaGetLastError();
		pool_trim(ci, 0, true);
		err = cudaMalloc(&best->dev, size);
	}
	if (err != cudaSuccess) {
		free(best);
		best = NULL;
		ret = cuda_fail(err, "cudaMalloc");
		goto out;
	}
	best->size = size;
	best->busy = true;
	best->next = ci->blocks;
	ci->blocks = best;
	ci->held += size;
	vaccel_debug("cuda: pool: new block of %zu MiB (%zu MiB held)", size >> 20,
		     ci->held >> 20);
out:
	pthread_mutex_unlock(&ci->lock);
	*out = best;
	return ret;
}

static void pool_put(struct cuda_instance *ci, struct block *b)
{
	pthread_mutex_lock(&ci->lock);
	b->busy = false;
	pthread_mutex_unlock(&ci->lock);
}

/* ---- sessions ---- */

static void session_free(struct cuda_session *s)
{
	if (s->stream)
		cudaStreamSynchronize(s->stream);
	if (s->blas)
		cublasDestroy(s->blas);
	if (s->stream)
		cudaStreamDestroy(s->stream);
	if (s->staging)
		cudaFreeHost(s->staging);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

static int cuda_session_init(void *ctx, struct vaccel_session *sess)
{
	struct cuda_instance *ci = ctx;
	if (!ci->available)
		return VACCEL_OK; /* never routed to: serves() is false */
	struct cuda_session *s = calloc(1, sizeof(*s));
	if (!s)
		return VACCEL_ENOMEM;
	pthread_mutex_init(&s->lock, NULL);
	cudaError_t err;
	cublasStatus_t st;
	int ret = VACCEL_OK;
	if ((err = cudaSetDevice(ci->device)) != cudaSuccess ||
	    (err = cudaStreamCreateWithFlags(&s->stream, cudaStreamNonBlocking)) != cudaSuccess)
		ret = cuda_fail(err, "stream");
	else if ((st = cublasCreate(&s->blas)) != CUBLAS_STATUS_SUCCESS ||
		 (st = cublasSetStream(s->blas, s->stream)) != CUBLAS_STATUS_SUCCESS ||
		 (st = cublasSetMathMode(s->blas, ci->tf32 ? CUBLAS_TF32_TENSOR_OP_MATH
							   : CUBLAS_DEFAULT_MATH)) !=
			 CUBLAS_STATUS_SUCCESS)
		ret = blas_fail(st, "cuBLAS handle");
	if (!ret)
		ret = vaccel_session_set_plugin_data(sess, ci, s);
	if (ret)
		session_free(s);
	return ret;
}

static void cuda_session_release(void *ctx, struct vaccel_session *sess)
{
	struct cuda_instance *ci = ctx;
	struct cuda_session *s = ci->available ? vaccel_session_get_plugin_data(sess, ci) : NULL;
	if (!s)
		return;
	cudaSetDevice(ci->device);
	session_free(s);
	vaccel_session_set_plugin_data(sess, ci, NULL);
}

/* Pinned host memory of at least `size` bytes for the session. */
static int staging(struct cuda_session *s, size_t size)
{
	if (s->staging_size >= size)
		return VACCEL_OK;
	if (s->staging)
		cudaFreeHost(s->staging);
	s->staging = NULL;
	s->staging_size = 0;
	cudaError_t err = cudaHostAlloc(&s->staging, size, cudaHostAllocDefault);
	if (err != cudaSuccess)
		return cuda_fail(err, "pinned staging buffer");
	s->staging_size = size;
	return VACCEL_OK;
}

/* ---- sgemm ---- */

/* A rows x cols row-major matrix with leading dimension ld, packed (ld = cols). */
static void pack(float *dst, const float *src, size_t rows, size_t cols, size_t ld)
{
	if (ld == cols) {
		memcpy(dst, src, rows * cols * sizeof(float));
		return;
	}
	for (size_t i = 0; i < rows; i++)
		memcpy(dst + i * cols, src + i * ld, cols * sizeof(float));
}

/* The reverse: padding between rows of dst is left as it was. */
static void unpack(float *dst, const float *src, size_t rows, size_t cols, size_t ld)
{
	if (ld == cols) {
		memcpy(dst, src, rows * cols * sizeof(float));
		return;
	}
	for (size_t i = 0; i < rows; i++)
		memcpy(dst + i * ld, src + i * cols, cols * sizeof(float));
}

/* Bytes of a packed rows x cols matrix, rounded up for the next one's alignment. */
static size_t packed_bytes(size_t rows, size_t cols)
{
	return (rows * cols * sizeof(float) + 255) / 256 * 256;
}

/*
 * C = alpha A B + beta C, row-major. cuBLAS is column-major, and a row-major
 * matrix is its transpose in column-major, so it computes C^T = B^T A^T:
 * (n x m) = (n x k)(k x m), with B first. On the device the matrices are
 * packed (leading dimension = width); on the host pack()/unpack() honour
 * lda, ldb and ldc, so C's padding is never written.
 */
static int run_sgemm(struct cuda_instance *ci, struct cuda_session *s, int m, int n, int k,
		     float alpha, const float *a, int lda, const float *b, int ldb,
		     float beta, float *c, int ldc)
{
	size_t sa = packed_bytes((size_t)m, (size_t)k), sb = packed_bytes((size_t)k, (size_t)n),
	       sc = packed_bytes((size_t)m, (size_t)n);
	struct block *blk;
	cudaError_t err;
	int ret;
	if ((err = cudaSetDevice(ci->device)) != cudaSuccess)
		return cuda_fail(err, "cudaSetDevice");
	if ((ret = staging(s, sa + sb + sc)) || (ret = pool_get(ci, sa + sb + sc, &blk)))
		return ret;
	char *host = s->staging, *dev = blk->dev;
	float *ha = (float *)host, *hb = (float *)(host + sa), *hc = (float *)(host + sa + sb);
	float *da = (float *)dev, *db = (float *)(dev + sa), *dc = (float *)(dev + sa + sb);
	/* Each matrix is on its way while the next one is packed. */
	pack(ha, a, (size_t)m, (size_t)k, (size_t)lda);
	err = cudaMemcpyAsync(da, ha, (size_t)m * k * sizeof(float), cudaMemcpyHostToDevice,
			      s->stream);
	if (err == cudaSuccess) {
		pack(hb, b, (size_t)k, (size_t)n, (size_t)ldb);
		err = cudaMemcpyAsync(db, hb, (size_t)k * n * sizeof(float),
				      cudaMemcpyHostToDevice, s->stream);
	}
	/* With beta 0, cuBLAS does not read C. */
	if (err == cudaSuccess && beta != 0.0f) {
		pack(hc, c, (size_t)m, (size_t)n, (size_t)ldc);
		err = cudaMemcpyAsync(dc, hc, (size_t)m * n * sizeof(float),
				      cudaMemcpyHostToDevice, s->stream);
	}
	if (err != cudaSuccess) {
		ret = cuda_fail(err, "copy to the device");
		goto out;
	}
	cublasStatus_t st = cublasSgemm(s->blas, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, &alpha,
					db, n, da, k, &beta, dc, n);
	if (st != CUBLAS_STATUS_SUCCESS) {
		ret = blas_fail(st, "cublasSgemm");
		goto out;
	}
	if ((err = cudaMemcpyAsync(hc, dc, (size_t)m * n * sizeof(float),
				   cudaMemcpyDeviceToHost, s->stream)) != cudaSuccess ||
	    (err = cudaStreamSynchronize(s->stream)) != cudaSuccess) {
		ret = cuda_fail(err, "sgemm on the device");
		goto out;
	}
	unpack(c, hc, (size_t)m, (size_t)n, (size_t)ldc);
out:
	/* A failed call may have copies in flight into the block or from staging. */
	if (ret)
		cudaStreamSynchronize(s->stream);
	pool_put(ci, blk);
	return ret;
}

/* read: m n k alpha a lda b ldb beta ldc; write: c (checked by libvaccel). */
static int cuda_sgemm(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	struct cuda_instance *ci = ctx;
	const struct vaccel_arg *r = a->read;
	int64_t m = vaccel_plugin_arg_i64(&r[0]), n = vaccel_plugin_arg_i64(&r[1]),
		k = vaccel_plugin_arg_i64(&r[2]), lda = vaccel_plugin_arg_i64(&r[5]),
		ldb = vaccel_plugin_arg_i64(&r[7]), ldc = vaccel_plugin_arg_i64(&r[9]);
	float alpha = vaccel_plugin_arg_f32(&r[3]), beta = vaccel_plugin_arg_f32(&r[8]);
	float *c = a->write[0].buf;
	if (!ci->available) {
		vaccel_error("cuda: sgemm: %s", ci->state);
		return VACCEL_ENOTSUP;
	}
	/* cuBLAS takes int: refuse what would not fit rather than wrap. */
	if (m > INT_MAX || n > INT_MAX || k > INT_MAX || lda > INT_MAX || ldb > INT_MAX ||
	    ldc > INT_MAX) {
		vaccel_error("cuda: sgemm dimension beyond %d", INT_MAX);
		return VACCEL_EINVAL;
	}
	if (m == 0 || n == 0)
		return VACCEL_OK;
	if (k == 0) { /* no product: C = beta C, as BLAS does (A and B may be empty) */
		for (int64_t i = 0; i < m; i++)
			for (int64_t j = 0; j < n; j++)
				c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
		return VACCEL_OK;
	}
	struct cuda_session *s = vaccel_session_get_plugin_data(sess, ci);
	if (!s) {
		vaccel_error("cuda: sgemm: session %lld has no CUDA stream", (long long)sess->id);
		return VACCEL_EINVAL;
	}
	pthread_mutex_lock(&s->lock);
	int ret = run_sgemm(ci, s, (int)m, (int)n, (int)k, alpha, r[4].buf, (int)lda, r[6].buf,
			    (int)ldb, beta, c, (int)ldc);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

VACCEL_PLUGIN_DEFINE(
	.name = "cuda",
	.version = PACKAGE_VERSION,
	.description = "SGEMM on an NVIDIA GPU through cuBLAS",
	.option_keys = option_keys,
	.init = cuda_init,
	.fini = cuda_fini,
	.session_init = cuda_session_init,
	.session_release = cuda_session_release,
	.serves = cuda_serves,
	.describe = cuda_describe,
	.ops = {
		[VACCEL_OP_BLAS_SGEMM] = cuda_sgemm,
	});
