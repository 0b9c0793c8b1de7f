/* SPDX-License-Identifier: Apache-2.0 */
/*
 * HTTP(S) downloads for `vaccel models fetch`, with libcurl: a partial file
 * is continued with a range request, a stalled peer is cut off, and a
 * terminal gets a progress line. The caller checks the bytes (SHA-256).
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"
#include "download.h"

struct transfer {
	CURL *curl;
	int fd;
	curl_off_t offset;  /* bytes already in the file when this request began */
	int write_errno;
	const struct download_opts *o;
};

static size_t on_data(char *buf, size_t size, size_t n, void *arg)
{
	struct transfer *t = arg;
	size_t len = size * n, done = 0;
	while (done < len) {
		ssize_t w = write(t->fd, buf + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			t->write_errno = errno;
			return 0; /* curl stops with CURLE_WRITE_ERROR */
		}
		done += (size_t)w;
	}
	return len;
}

static int on_progress(void *arg, curl_off_t total, curl_off_t now, curl_off_t ut, curl_off_t un)
{
	struct transfer *t = arg;
	(void)ut; (void)un;
	if (total > 0)
		fprintf(stderr, "\r%s: %3d%% %.1f of %.1f MB", t->o->label,
			(int)(100 * (t->offset + now) / (t->offset + total)),
			(double)(t->offset + now) / 1e6, (double)(t->offset + total) / 1e6);
	return 0;
}

/* One request from the file's current end. Returns a CURLcode. */
static CURLcode request(struct transfer *t, const char *url, long *status)
{
	char err[CURL_ERROR_SIZE] = "";
	struct stat st;
	if (fstat(t->fd, &st))
		return CURLE_WRITE_ERROR;
	t->offset = st.st_size;
	lseek(t->fd, 0, SEEK_END);
	curl_easy_reset(t->curl);
	curl_easy_setopt(t->curl, CURLOPT_URL, url);
	curl_easy_setopt(t->curl, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(t->curl, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(t->curl, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(t->curl, CURLOPT_PROTOCOLS_STR, "http,https,file");
	curl_easy_setopt(t->curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(t->curl, CURLOPT_CONNECTTIMEOUT, t->o->timeout_s);
	/* A peer that sends under 1 byte/s for timeout_s is cut off. */
	curl_easy_setopt(t->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(t->curl, CURLOPT_LOW_SPEED_TIME, t->o->timeout_s);
	curl_easy_setopt(t->curl, CURLOPT_RESUME_FROM_LARGE, t->offset);
	curl_easy_setopt(t->curl, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(t->curl, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(t->curl, CURLOPT_ERRORBUFFER, err);
	char agent[64];
	snprintf(agent, sizeof(agent), "vaccel/%s", vaccel_version());
	curl_easy_setopt(t->curl, CURLOPT_USERAGENT, agent);
	if (t->o->progress) {
		curl_easy_setopt(t->curl, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(t->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(t->curl, CURLOPT_XFERINFODATA, t);
	}
	CURLcode rc = curl_easy_perform(t->curl);
	curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, status);
	if (t->o->progress)
		fputs("\r\033[K", stderr);
	if (rc == CURLE_OPERATION_TIMEDOUT)
		cmd_error("%s: timed out: nothing received for %ld s (--timeout)", url,
			  t->o->timeout_s);
	else if (rc && rc != CURLE_HTTP_RETURNED_ERROR && rc != CURLE_WRITE_ERROR &&
		 rc != CURLE_RANGE_ERROR)
		cmd_error("%s: %s", url, *err ? err : curl_easy_strerror(rc));
	return rc;
}

int download(const char *url, const char *part, const struct download_opts *o)
{
	static bool global_done;
	if (!global_done && curl_global_init(CURL_GLOBAL_DEFAULT)) {
		cmd_error("libcurl cannot start");
		return EXIT_OP_FAILED;
	}
	global_done = true;
	struct transfer t = { .fd = open(part, O_WRONLY | O_CREAT | O_CLOEXEC, 0644), .o = o };
	if (t.fd < 0) {
		cmd_error("%s: %s", part, strerror(errno));
		return EXIT_INPUT;
	}
	/* Two fetches of one file would interleave their bytes. */
	if (flock(t.fd, LOCK_EX | LOCK_NB)) {
		cmd_error("%s: another `vaccel models fetch` is writing it", part);
		close(t.fd);
		return EXIT_OP_FAILED;
	}
	t.curl = curl_easy_init();
	long status = 0;
	CURLcode rc = t.curl ? request(&t, url, &status) : CURLE_FAILED_INIT;
	/*
	 * A server that takes no ranges, or 416 (the partial file is longer than
	 * this one): start the file over, once.
	 */
	if ((rc == CURLE_RANGE_ERROR || (rc == CURLE_HTTP_RETURNED_ERROR && status == 416)) &&
	    t.offset > 0 && !ftruncate(t.fd, 0))
		rc = request(&t, url, &status);
	int ret = EXIT_OK;
	if (rc == CURLE_HTTP_RETURNED_ERROR) {
		cmd_error("%s: HTTP status %ld", url, status);
		ret = EXIT_OP_FAILED;
	} else if (rc == CURLE_WRITE_ERROR) {
		cmd_error("%s: %s", part, strerror(t.write_errno ? t.write_errno : EIO));
		ret = EXIT_INPUT;
	} else if (rc) {
		ret = EXIT_OP_FAILED;
	}
	struct stat st;
	if (ret && !fstat(t.fd, &st) && st.st_size == 0)
		unlink(part); /* nothing arrived: nothing to resume */
	if (t.curl)
		curl_easy_cleanup(t.curl);
	close(t.fd);
	return ret;
}
