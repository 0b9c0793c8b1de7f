/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The agent's resource store: uploaded bytes kept once per content hash,
 * as a file in a private directory, shared by every connection that
 * uploads the same bytes and removed with its last user.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store.h"
#include "../internal.h"

struct stored {
	char hash[65];
	char dir[PATH_MAX];
	char path[PATH_MAX];
	int refs;
	struct stored *next;
};

static struct stored *stored_list;
static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static char store_root[PATH_MAX];

int agent_store_init(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(store_root, sizeof(store_root), "%s/vaccel-agent-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	return mkdtemp(store_root) ? 0 : errno;
}

void agent_store_fini(void)
{
	pthread_mutex_lock(&store_lock);
	if (store_root[0])
		rmdir(store_root);
	store_root[0] = '\0';
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
			return VACCEL_EIO;
		}
		p += n;
		size -= (size_t)n;
	}
	return close(fd) ? errno : 0;
}

int agent_store_get(const void *data, size_t size, const char *filename, struct stored **out)
{
	char hash[65];
	vaccel_sha256_hex(data, size, hash);
	pthread_mutex_lock(&store_lock);
	if (!store_root[0] && agent_store_init()) {
		int err = errno;
		store_root[0] = '\0';
		pthread_mutex_unlock(&store_lock);
		vaccel_error("agent: cannot create the resource store: %s", strerror(err));
		return err;
	}
	for (struct stored *s = stored_list; s; s = s->next) {
		if (!strcmp(s->hash, hash)) {
			s->refs++;
			*out = s;
			pthread_mutex_unlock(&store_lock);
			return VACCEL_OK;
		}
	}
	struct stored *s = calloc(1, sizeof(*s));
	int ret = s ? 0 : VACCEL_ENOMEM;
	if (s) {
		/* One directory per hash keeps the client's file name (plugins
		 * may look at the extension) without collisions. */
		memcpy(s->hash, hash, sizeof(s->hash));
		bool fits = (size_t)snprintf(s->dir, sizeof(s->dir), "%s/%s", store_root, hash) < sizeof(s->dir) &&
			    (size_t)snprintf(s->path, sizeof(s->path), "%s/%s", s->dir, filename) < sizeof(s->path);
		if (!fits)
			errno = ENAMETOOLONG;
		if (!fits || mkdir(s->dir, 0700) || (ret = write_all(s->path, data, size))) {
			ret = ret ? ret : errno;
			rmdir(s->dir);
			free(s);
			s = NULL;
		}
	}
	if (s) {
		s->refs = 1;
		s->next = stored_list;
		stored_list = s;
		*out = s;
	}
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
	if (--s->refs == 0) {
		for (struct stored **it = &stored_list; *it; it = &(*it)->next) {
			if (*it == s) {
				*it = s->next;
				break;
			}
		}
		unlink(s->path);
		rmdir(s->dir);
		free(s);
	}
	pthread_mutex_unlock(&store_lock);
}
