/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The echo test plugin: serves every op of the op table (any_op) by hashing
 * what it was given and writing a pattern derived from that hash into every
 * output, completely. The same call made natively and through a transport
 * (rpc, virtio: an agent running this plugin) must give the same outputs,
 * byte for byte: tests/optable/optable-props checks that.
 *
 * The hash (64-bit FNV-1a) covers the op code, every read arg (type, size,
 * bytes) and the type and size of every write arg, normalising what
 * legitimately differs between a native call and a remote one:
 *   - a RESOURCE arg is hashed as the resource's bytes, not its id (ids are
 *     the agent's over a transport);
 *   - a HOSTPATH arg is hashed as the file's bytes when it names one, else
 *     as the bytes of its carrier resource (a transport uploads the file and
 *     sends the path empty with the carrier set); the carrier itself is then
 *     not hashed on its own;
 *   - an INOUT write arg is hashed as input only when the row's reads_output
 *     (or its absence) says the op reads it on this call (a transport sends
 *     it only then).
 * No global state: everything lives on the stack of one call.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <vaccel/optable.h>
#include <vaccel/plugin.h>

#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	return h;
}

static uint64_t fnv_u64(uint64_t h, uint64_t v)
{
	return fnv(h, &v, sizeof(v));
}

/* Type, size and bytes of one blob. */
static uint64_t fnv_blob(uint64_t h, uint32_t type, const void *p, size_t n)
{
	h = fnv_u64(h, type);
	h = fnv_u64(h, n);
	return n ? fnv(h, p, n) : h;
}

/* The bytes of a host file, read in pieces; VACCEL_ENOENT if unreadable. */
static int fnv_file(uint64_t *h, uint32_t type, const char *path)
{
	unsigned char buf[4096];
	uint64_t size = 0, body = FNV_OFFSET;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return VACCEL_ENOENT;
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n < 0) {
			close(fd);
			return VACCEL_EIO;
		}
		if (n == 0)
			break;
		body = fnv(body, buf, (size_t)n);
		size += (uint64_t)n;
	}
	close(fd);
	/* As fnv_blob would hash the whole file, with its size first. */
	*h = fnv_u64(fnv_u64(*h, type), size);
	*h = fnv_u64(*h, body);
	return VACCEL_OK;
}

/* A resource's bytes; a "no resource" marker for id 0 (or none found). */
static int fnv_resource(uint64_t *h, struct vaccel_session *sess, const struct vaccel_arg *a,
			uint32_t type)
{
	struct vaccel_resource *res = vaccel_plugin_arg_resource(sess, a);
	const void *data;
	size_t size;
	if (!res) {
		*h = fnv_u64(fnv_u64(*h, type), UINT64_MAX);
		return VACCEL_OK;
	}
	int ret = vaccel_resource_bytes(res, &data, &size);
	if (ret)
		return ret;
	/* As fnv_file: type, size, then the hash of the bytes. */
	*h = fnv_u64(fnv_u64(*h, type), size);
	*h = fnv_u64(*h, fnv(FNV_OFFSET, data, size));
	return VACCEL_OK;
}

/* The row's spec for arg i of a list of n specs (REST covers the tail). */
static const struct vaccel_op_arg_info *spec_of(const struct vaccel_op_arg_info *specs,
						size_t n, size_t i)
{
	if (!n)
		return NULL;
	return i < n ? &specs[i] : specs[n - 1].kind == VACCEL_OP_ARG_REST ? &specs[n - 1] : NULL;
}

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Every byte of write arg k: a function of the hash, k and the offset. */
static void fill(struct vaccel_arg *w, size_t k, uint64_t h)
{
	unsigned char *p = w->buf;
	uint64_t base = splitmix(h ^ splitmix(k + 1));
	for (size_t j = 0; p && j < w->size; j++)
		p[j] = (unsigned char)(splitmix(base + j / 8) >> (8 * (j % 8)));
}

static int echo_any(void *ctx, struct vaccel_session *sess, const struct vaccel_op_args *a)
{
	(void)ctx;
	const struct vaccel_op_info *info = vaccel_op_info(a->op);
	if (!info || a->nr_read > 64)
		return VACCEL_EINVAL;
	bool skip[64] = { false };
	uint64_t h = fnv_u64(FNV_OFFSET, (uint32_t)a->op);
	int ret;

	/* A HOSTPATH's carrier is hashed with it, never on its own. */
	for (size_t i = 0; i < a->nr_read && i < info->nr_read; i++)
		if (info->read[i].kind == VACCEL_OP_ARG_HOSTPATH && info->read[i].carrier >= 0 &&
		    (size_t)info->read[i].carrier < a->nr_read)
			skip[info->read[i].carrier] = true;

	for (size_t i = 0; i < a->nr_read; i++) {
		const struct vaccel_op_arg_info *spec = spec_of(info->read, info->nr_read, i);
		const struct vaccel_arg *r = &a->read[i];
		h = fnv_u64(h, i);
		if (skip[i])
			continue;
		if (spec && spec->kind == VACCEL_OP_ARG_RESOURCE) {
			if ((ret = fnv_resource(&h, sess, r, r->type)))
				return ret;
		} else if (spec && spec->kind == VACCEL_OP_ARG_HOSTPATH) {
			const char *path = r->buf;
			size_t c = (size_t)spec->carrier;
			if (*path)
				ret = fnv_file(&h, VACCEL_ARG_STRING, path);
			else if (spec->carrier >= 0 && c < a->nr_read)
				ret = fnv_resource(&h, sess, &a->read[c], VACCEL_ARG_STRING);
			else
				ret = VACCEL_EINVAL;
			if (ret)
				return ret;
		} else {
			h = fnv_blob(h, r->type, r->buf, r->size);
		}
	}

	for (size_t i = 0; i < a->nr_write; i++) {
		const struct vaccel_op_arg_info *spec = spec_of(info->write, info->nr_write, i);
		const struct vaccel_arg *w = &a->write[i];
		bool in = spec && i < info->nr_write && (spec->flags & VACCEL_OP_ARG_INOUT) &&
			  (!info->reads_output || info->reads_output(a->read, i));
		h = fnv_u64(h, 1000 + i);
		h = in ? fnv_blob(h, w->type, w->buf, w->size) : fnv_u64(fnv_u64(h, w->type), w->size);
	}

	for (size_t i = 0; i < a->nr_write; i++)
		fill(&a->write[i], i, h);
	return VACCEL_OK;
}

VACCEL_PLUGIN_DEFINE(
	.name = "echo",
	.version = "1.0",
	.description = "test plugin: every op, outputs derived from a hash of the inputs",
	.any_op = echo_any);
