/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's resource store. Uploaded bytes are kept once per content
 * hash (objects/HASH in a private directory), and each upload is a hard
 * link to them, NS/N/FILENAME, in its connection's namespace: a random
 * directory name per connection, so that what one client uploaded, and
 * under which names, is invisible to another (even one uploading the same
 * bytes), while the bytes are stored once.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store.h"
#include "../internal.h"

struct object {
	char hash[65];
	char path[PATH_MAX];
	int refs;
	struct object *next;
};

struct stored {
	struct object *obj;
	char dir[PATH_MAX];          /* NS/N */
	char path[PATH_MAX];         /* NS/N/FILENAME */
};

static struct object *objects;
static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static char store_root[PATH_MAX];
static unsigned long next_upload;

int agent_store_init(void)
{
	const char *tmp = getenv("TMPDIR");
	char objdir[PATH_MAX + 16];
	snprintf(store_root, sizeof(store_root), "%s/vaccel-agent-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(store_root))
		return errno;
	snprintf(objdir, sizeof(objdir), "%s/objects", store_root);
	return mkdir(objdir, 0700) ? errno : 0;
}

void agent_store_fini(void)
{
	pthread_mutex_lock(&store_lock);
	if (store_root[0]) {
		char objdir[PATH_MAX + 16];
		snprintf(objdir, sizeof(objdir), "%s/objects", store_root);
		rmdir(objdir);
		rmdir(store_root);
	}
	store_root[0] = '\0';
	pthread_mutex_unlock(&store_lock);
}

void agent_store_ns_new(char ns[AGENT_STORE_NS_LEN])
{
	unsigned char r[16];
	/* getrandom blocks only before the kernel's pool is ready, at boot. */
	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		static unsigned long fallback;
		unsigned long v = __atomic_add_fetch(&fallback, 1, __ATOMIC_RELAXED) ^
				  (unsigned long)getpid() << 32;
		memset(r, 0, sizeof(r));
		memcpy(r, &v, sizeof(v));
	}
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(ns + 2 * i, 3, "%02x", r[i]);
}

void agent_store_ns_drop(const char *ns)
{
	char dir[PATH_MAX];
	pthread_mutex_lock(&store_lock);
	if (store_root[0] && (size_t)snprintf(dir, sizeof(dir), "%s/%s", store_root, ns) < sizeof(dir))
		rmdir(dir); /* fails, harmlessly, when it was never made */
	pthread_mutex_unlock(&store_lock);
}

static int write_all(const char *path, const void *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	const char *p = data;
	while (size) {
		ssize_t n = write(fd, p, size);
		if (n <= 0) {
			close(fd);
			unlink(path);
			return VACCEL_EIO;
		}
		p += n;
		size -= (size_t)n;
	}
	return close(fd) ? errno : 0;
}

/* The object holding these bytes, found or written; lock held. */
static int object_get(const void *data, size_t size, struct object **out)
{
	char hash[65];
	vaccel_sha256_hex(data, size, hash);
	for (struct object *o = objects; o; o = o->next) {
		if (!strcmp(o->hash, hash)) {
			o->refs++;
			*out = o;
			return VACCEL_OK;
		}
	}
	struct object *o = calloc(1, sizeof(*o));
	if (!o)
		return VACCEL_ENOMEM;
	memcpy(o->hash, hash, sizeof(o->hash));
	snprintf(o->path, sizeof(o->path), "%s/objects/%s", store_root, hash);
	int ret = write_all(o->path, data, size);
	if (ret) {
		free(o);
		return ret;
	}
	o->refs = 1;
	o->next = objects;
	objects = o;
	*out = o;
	return VACCEL_OK;
}

static void object_put(struct object *o)
{
	if (--o->refs)
		return;
	for (struct object **it = &objects; *it; it = &(*it)->next)
		if (*it == o) {
			*it = o->next;
			break;
		}
	unlink(o->path);
	free(o);
}

/* NS/N/FILENAME as a link to the object (a copy where links cannot be made). */
static int place(struct stored *s, const char *ns, const char *filename,
		 const void *data, size_t size)
{
	char nsdir[PATH_MAX];
	unsigned long n = ++next_upload;
	if ((size_t)snprintf(nsdir, sizeof(nsdir), "%s/%s", store_root, ns) >= sizeof(nsdir) ||
	    (size_t)snprintf(s->dir, sizeof(s->dir), "%s/%lu", nsdir, n) >= sizeof(s->dir) ||
	    (size_t)snprintf(s->path, sizeof(s->path), "%s/%s", s->dir, filename) >= sizeof(s->path))
		return ENAMETOOLONG;
	if ((mkdir(nsdir, 0700) && errno != EEXIST) || mkdir(s->dir, 0700))
		return errno;
	if (!link(s->obj->path, s->path))
		return VACCEL_OK;
	int ret = write_all(s->path, data, size);
	if (ret)
		rmdir(s->dir);
	return ret;
}

int agent_store_get(const char *ns, const void *data, size_t size, const char *filename,
		    struct stored **out)
{
	pthread_mutex_lock(&store_lock);
	if (!store_root[0] && agent_store_init()) {
		int err = errno;
		store_root[0] = '\0';
		pthread_mutex_unlock(&store_lock);
		vaccel_error("agent: cannot create the resource store: %s", strerror(err));
		return err;
	}
	struct stored *s = calloc(1, sizeof(*s));
	int ret = s ? object_get(data, size, &s->obj) : VACCEL_ENOMEM;
	if (!ret && (ret = place(s, ns, filename, data, size)))
		object_put(s->obj);
	if (ret)
		free(s);
	else
		*out = s;
	pthread_mutex_unlock(&store_lock);
	return ret;
}

const char *agent_store_path(const struct stored *s)
{
	return s->path;
}

void agent_store_put(struct stored *s)
{
	pthread_mutex_lock(&store_lock);
	unlink(s->path);
	rmdir(s->dir);
	object_put(s->obj);
	free(s);
	pthread_mutex_unlock(&store_lock);
}
