/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vAccel's torch API from an application, on the profile $VACCEL_PROFILE
 * names (native, or an agent over rpc or virtio). tests/cli/torch.bats
 * drives it.
 *   torch-client run DIR TAG [ITERATIONS [buf]]
 *       DIR/model.pt (from a file, or its bytes with "buf") on DIR/x.bin
 *       and DIR/y.bin: DIR/TAG0.bin and DIR/TAG1.bin; the mean time of a
 *       run after the first
 *   torch-client errors DIR   the failures, each with its code
 *   torch-client sgemm        2x3 * 3x2 + C and the tensor helpers
 *   torch-client echo DIR     noop: the outputs echo the inputs
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vaccel.h>

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static int failures;

static void expect(const char *what, int got, int want)
{
	printf("%s %s: %s", got == want ? "ok" : "FAIL", what, vaccel_strerror(got));
	if (got != want)
		printf(" (wanted %s)", vaccel_strerror(want));
	printf("\n");
	failures += got != want;
}

static void *slurp(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	void *p = malloc(n > 0 ? (size_t)n : 1);
	if (p && fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*size = (size_t)n;
	return p;
}

static struct vaccel_torch_tensor *input(const char *dir, const char *name, int64_t nr_dims,
					 const int64_t *dims)
{
	char path[4096];
	struct vaccel_torch_tensor *t;
	size_t size;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	void *data = slurp(path, &size);
	if (!data || vaccel_torch_tensor_new(&t, nr_dims, dims, VACCEL_TORCH_FLOAT)) {
		fprintf(stderr, "torch-client: cannot read %s\n", path);
		exit(1);
	}
	t->data = data;
	t->size = size;
	t->owned = true;
	return t;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

struct setup {
	struct vaccel_session sess;
	struct vaccel_resource model;
	struct vaccel_torch_tensor *in[2];
};

static int setup(struct setup *s, const char *dir, const char *file, bool from_buf)
{
	static const int64_t xd[] = { 2, 3, 8, 8 }, yd[] = { 2, 5 };
	char path[4096];
	int ret;
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (from_buf) {
		size_t size;
		void *bytes = slurp(path, &size);
		ret = bytes ? vaccel_resource_init_from_buf(&s->model, bytes, size,
							    VACCEL_RESOURCE_MODEL, file, true)
			    : VACCEL_ENOENT;
		free(bytes);
	} else {
		ret = vaccel_resource_init(&s->model, path, VACCEL_RESOURCE_MODEL);
	}
	if (!ret)
		ret = vaccel_session_init(&s->sess, 0);
	if (!ret)
		ret = vaccel_resource_register(&s->model, &s->sess);
	if (ret) {
		fprintf(stderr, "torch-client: setup: %s\n", vaccel_strerror(ret));
		exit(1);
	}
	s->in[0] = input(dir, "x.bin", 4, xd);
	s->in[1] = input(dir, "y.bin", 2, yd);
	return 0;
}

static void teardown(struct setup *s)
{
	vaccel_torch_tensor_delete(s->in[0]);
	vaccel_torch_tensor_delete(s->in[1]);
	vaccel_resource_unregister(&s->model, &s->sess);
	vaccel_session_release(&s->sess);
	vaccel_resource_release(&s->model);
}

static int run(const char *dir, const char *tag, int iterations, bool from_buf)
{
	struct setup s;
	struct vaccel_torch_tensor *out[2] = { NULL, NULL };
	setup(&s, dir, "model.pt", from_buf);
	int ret = vaccel_torch_model_load(&s.sess, &s.model);
	double t0 = 0;
	for (int i = 0; !ret && i < iterations; i++) {
		if (i == 1)
			t0 = now_us();
		for (int k = 0; k < 2; k++)
			if (out[k])
				vaccel_torch_tensor_delete(out[k]);
		ret = vaccel_torch_model_run(&s.sess, &s.model, NULL, s.in, 2, out, 2);
	}
	if (ret) {
		fprintf(stderr, "torch-client: run: %s\n", vaccel_strerror(ret));
		return 1;
	}
	if (iterations > 1)
		printf("per-run: %.1f us\n", (now_us() - t0) / (iterations - 1));
	for (int k = 0; k < 2; k++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s%d.bin", dir, tag, k);
		FILE *f = fopen(path, "wb");
		printf("output %d: type %d dims", k, out[k]->data_type);
		for (int64_t d = 0; d < out[k]->nr_dims; d++)
			printf(" %lld", (long long)out[k]->dims[d]);
		printf(", %zu bytes\n", out[k]->size);
		if (!f || fwrite(out[k]->data, 1, out[k]->size, f) != out[k]->size)
			return 1;
		fclose(f);
		vaccel_torch_tensor_delete(out[k]);
	}
	teardown(&s);
	return 0;
}

static int errors(const char *dir)
{
	struct setup s, bad;
	struct vaccel_torch_tensor *out[3] = { NULL };
	setup(&s, dir, "model.pt", false);
	setup(&bad, dir, "bad.pt", false);
	expect("a file that is no TorchScript model: load", vaccel_torch_model_load(&bad.sess, &bad.model), VACCEL_EIO);
	expect("a file that is no TorchScript model: run",
	       vaccel_torch_model_run(&bad.sess, &bad.model, NULL, bad.in, 2, out, 2), VACCEL_EIO);
	expect("the model of another session", vaccel_torch_model_load(&s.sess, &bad.model), VACCEL_EPERM);
	/* dims that do not hold the data */
	s.in[1]->dims[1] = 6;
	expect("an input whose dims do not fit its data",
	       vaccel_torch_model_run(&s.sess, &s.model, NULL, s.in, 2, out, 2), VACCEL_EINVAL);
	/* dims that fit the data but not the model */
	s.in[1]->dims[0] = 5;
	s.in[1]->dims[1] = 2;
	expect("an input of a shape the model refuses",
	       vaccel_torch_model_run(&s.sess, &s.model, NULL, s.in, 2, out, 2), VACCEL_EIO);
	s.in[1]->dims[0] = 2;
	s.in[1]->dims[1] = 5;
	expect("one input of two", vaccel_torch_model_run(&s.sess, &s.model, NULL, s.in, 1, out, 1),
	       VACCEL_EIO);
	expect("three outputs of two",
	       vaccel_torch_model_run(&s.sess, &s.model, NULL, s.in, 2, out, 3), VACCEL_EINVAL);
	expect("no inputs", vaccel_torch_model_run(&s.sess, &s.model, NULL, s.in, 0, out, 1), VACCEL_EINVAL);
	s.in[0]->data_type = 42;
	expect("an unknown data type",
	       vaccel_torch_model_run(&s.sess, &s.model, NULL, s.in, 2, out, 2), VACCEL_EINVAL);
	s.in[0]->data_type = VACCEL_TORCH_FLOAT;
	expect("the right inputs", vaccel_torch_model_run(&s.sess, &s.model, NULL, s.in, 2, out, 1),
	       VACCEL_OK);
	vaccel_torch_tensor_delete(out[0]);
	struct vaccel_resource data;
	char path[4096];
	snprintf(path, sizeof(path), "%s/x.bin", dir);
	vaccel_resource_init(&data, path, VACCEL_RESOURCE_DATA);
	vaccel_resource_register(&data, &s.sess);
	expect("a data resource as the model", vaccel_torch_model_load(&s.sess, &data), VACCEL_EINVAL);
	vaccel_resource_unregister(&data, &s.sess);
	vaccel_resource_release(&data);
	teardown(&s);
	teardown(&bad);
	return failures != 0;
}

static int sgemm(void)
{
	struct vaccel_session sess;
	float a[] = { 1, 2, 3, 4, 5, 6 }, b[] = { 1, 0, 0, 1, 1, 1 }, c[] = { 1, 1, 1, 1 };
	int64_t ad[] = { 2, 3 }, bd[] = { 3, 2 }, cd[] = { 2, 2 };
	struct vaccel_torch_tensor *A, *B, *C, *out = NULL;
	vaccel_torch_tensor_new(&A, 2, ad, VACCEL_TORCH_FLOAT);
	vaccel_torch_tensor_new(&B, 2, bd, VACCEL_TORCH_FLOAT);
	vaccel_torch_tensor_allocate(&C, 2, cd, VACCEL_TORCH_FLOAT, sizeof(c));
	vaccel_torch_tensor_set_data(A, a, sizeof(a));
	vaccel_torch_tensor_set_data(B, b, sizeof(b));
	memcpy(C->data, c, sizeof(c));
	if (vaccel_session_init(&sess, 0))
		return 1;
	expect("torch_sgemm", vaccel_torch_sgemm(&sess, &A, &B, &C, 2, 2, 3, &out), VACCEL_OK);
	const float want[] = { 5, 6, 11, 12 }; /* A*B + 1 */
	bool right = out && out->size == sizeof(want) && !memcmp(out->data, want, sizeof(want));
	printf("%s sgemm result\n", right ? "ok" : "FAIL");
	failures += !right;
	expect("torch_sgemm with a short A", vaccel_torch_sgemm(&sess, &A, &B, &C, 3, 2, 3, &out),
	       VACCEL_EINVAL);
	void *data;
	size_t size;
	vaccel_torch_tensor_take_data(C, &data, &size);
	free(data);
	struct vaccel_torch_buffer *buf;
	vaccel_torch_buffer_new(&buf, strdup("options"), 8);
	vaccel_torch_buffer_delete(buf);
	vaccel_torch_tensor_delete(A);
	vaccel_torch_tensor_delete(B);
	vaccel_torch_tensor_delete(C);
	vaccel_torch_tensor_delete(out);
	vaccel_session_release(&sess);
	return failures != 0;
}

/* noop: each output is its input; a third output has no input to echo. */
static int echo(const char *dir)
{
	struct setup s;
	struct vaccel_torch_tensor *out[3] = { NULL };
	setup(&s, dir, "model.pt", false);
	expect("noop torch_model_load", vaccel_torch_model_load(&s.sess, &s.model), VACCEL_OK);
	expect("noop torch_model_run", vaccel_torch_model_run(&s.sess, &s.model, NULL, s.in, 2, out, 2),
	       VACCEL_OK);
	for (int k = 0; k < 2; k++) {
		bool same = out[k] && out[k]->size == s.in[k]->size &&
			    out[k]->nr_dims == s.in[k]->nr_dims &&
			    !memcmp(out[k]->dims, s.in[k]->dims, sizeof(int64_t) * (size_t)out[k]->nr_dims) &&
			    !memcmp(out[k]->data, s.in[k]->data, s.in[k]->size);
		printf("%s output %d echoes input %d\n", same ? "ok" : "FAIL", k, k);
		failures += !same;
		vaccel_torch_tensor_delete(out[k]);
	}
	expect("noop: more outputs than inputs",
	       vaccel_torch_model_run(&s.sess, &s.model, NULL, s.in, 2, out, 3), VACCEL_EINVAL);
	teardown(&s);
	return failures != 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && !strcmp(argv[1], "run"))
		return run(argv[2], argv[3], argc > 4 ? atoi(argv[4]) : 1,
			   argc > 5 && !strcmp(argv[5], "buf"));
	if (argc == 3 && !strcmp(argv[1], "errors"))
		return errors(argv[2]);
	if (argc == 2 && !strcmp(argv[1], "sgemm"))
		return sgemm();
	if (argc == 3 && !strcmp(argv[1], "echo"))
		return echo(argv[2]);
	fprintf(stderr, "usage: torch-client run DIR TAG [N [buf]] | errors DIR | sgemm | echo DIR\n");
	return 2;
}
