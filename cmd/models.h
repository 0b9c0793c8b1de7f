/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The standard model set (configs/models.list): where its list and its
 * directory are, and how one file is checked and fetched.
 */
#ifndef VACCEL_CMD_MODELS_H
#define VACCEL_CMD_MODELS_H

#include <stdbool.h>
#include <stddef.h>

struct model_file {
	char sha256[65];
	char *path;   /* relative to the models directory */
	char *name;   /* the path's second part: "mobilenet_v2" */
};

struct model_list {
	struct model_file *files;
	size_t count;
	char *source; /* the list file read */
};

/* Read the list: the source tree's when this vaccel runs from its build tree,
 * else the installed one. Returns 0, or -1 after printing why. */
int model_list_read(struct model_list *l);
void model_list_free(struct model_list *l);

/* $VACCEL_MODELS, else $XDG_CACHE_HOME/vaccel/models, else
 * ~/.cache/vaccel/models: where the opencv plugin looks. malloc'd. */
char *models_dir(void);

enum model_state { MODEL_OK, MODEL_MISSING, MODEL_BAD_HASH };
/* The state of f under dir; the digest found goes to actual (when present). */
enum model_state model_check(const char *dir, const struct model_file *f, char actual[65]);

/* Where the files come from: the first of these given. */
struct model_source {
	const char *mirror;  /* --mirror, else $VACCEL_MODEL_MIRROR: a directory */
	const char *url;     /* --url, else $VACCEL_MODEL_URL, else configure's
			      * --with-model-url: a base URL (http, https, file) */
	long timeout_s;      /* downloads: connect timeout and longest stall */
	bool progress;       /* a progress line on stderr */
};

/*
 * Put f under dir: copied from the mirror, else downloaded from URL/PATH
 * (continuing a partial download left by an earlier try). The bytes land
 * in FILE.part, which becomes the file only once its SHA-256 matches; a
 * wrong digest removes it. Directories this call made are removed again
 * when it fails. Returns an enum cmd_exit code after printing why it
 * failed: a wrong digest names the file, the expected and the actual digest.
 */
int model_fetch(const char *dir, const struct model_file *f, const struct model_source *src);

#endif
