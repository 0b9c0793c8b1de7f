/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel agent: serve the host's plugins to clients over the rpc transport,
 * or (--status ADDRESS) ask a running agent how it is doing.
 */
#include <argp.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vaccel/agent.h>
#include "cmd.h"

#define MAX_LISTEN 16

enum { OPT_STATUS = 0x100, OPT_WORKERS, OPT_MAX_FRAME, OPT_MAX_RES, OPT_MODE, OPT_TOKEN,
       OPT_INFLIGHT, OPT_SEND_TIMEOUT, OPT_HELLO_TIMEOUT, OPT_MAX_CONNS, OPT_MAX_PEER };

static const struct argp_option options[] = {
	{ "listen", 'l', "ADDRESS", 0,
	  "Serve rpc on unix:///PATH, tcp://HOST:PORT (IPv6: tcp://[ADDR]:PORT) or "
	  "vsock://CID:PORT, virtio on virtio:///PATH (host-local) or "
	  "ivshmem:///FILE (QEMU guests); repeatable", 0 },
	{ "workers", OPT_WORKERS, "N", 0,
	  "Requests run in parallel, over all transports (default: CPUs, at least 2)", 0 },
	{ "max-frame", OPT_MAX_FRAME, "BYTES", 0, "Largest frame accepted (default 268435456)", 0 },
	{ "max-resource", OPT_MAX_RES, "BYTES", 0, "Largest resource accepted (default 1073741824)", 0 },
	{ "socket-mode", OPT_MODE, "OCTAL", 0, "Mode of UNIX sockets, in octal as chmod takes it (default 0600)", 0 },
	{ "token-file", OPT_TOKEN, "FILE", 0,
	  "Shared token TCP clients must present (first line of FILE)", 0 },
	{ "max-inflight", OPT_INFLIGHT, "N", 0,
	  "Requests of one rpc connection awaiting replies before it is read no further "
	  "(default 32)", 0 },
	{ "send-timeout-ms", OPT_SEND_TIMEOUT, "MS", 0,
	  "Cut off an rpc client that takes no reply for this long (default 30000)", 0 },
	{ "handshake-timeout-ms", OPT_HELLO_TIMEOUT, "MS", 0,
	  "Drop an rpc peer that has not said hello this long after connecting "
	  "(default 10000)", 0 },
	{ "max-connections", OPT_MAX_CONNS, "N", 0,
	  "rpc connections open at once; more are closed as they come (default 1024)", 0 },
	{ "max-connections-per-peer", OPT_MAX_PEER, "N", 0,
	  "rpc connections from one TCP address or one UNIX user (default 64)", 0 },
	{ "status", OPT_STATUS, "ADDRESS", 0,
	  "Report a running agent's status (at one of its rpc or virtio:// addresses) and exit", 0 },
	{ 0 }
};

struct agent_args {
	const char *listen[MAX_LISTEN];
	size_t nr_listen;
	const char *status, *token_file, *workers, *max_frame, *max_res, *mode, *inflight,
		*send_timeout, *hello_timeout, *max_conns, *max_peer;
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct agent_args *a = state->input;
	switch (key) {
	case 'l':
		if (a->nr_listen == MAX_LISTEN)
			argp_error(state, "at most %d --listen addresses", MAX_LISTEN);
		a->listen[a->nr_listen++] = arg;
		return 0;
	case OPT_STATUS: a->status = arg; return 0;
	case OPT_WORKERS: a->workers = arg; return 0;
	case OPT_MAX_FRAME: a->max_frame = arg; return 0;
	case OPT_MAX_RES: a->max_res = arg; return 0;
	case OPT_MODE: a->mode = arg; return 0;
	case OPT_TOKEN: a->token_file = arg; return 0;
	case OPT_INFLIGHT: a->inflight = arg; return 0;
	case OPT_SEND_TIMEOUT: a->send_timeout = arg; return 0;
	case OPT_HELLO_TIMEOUT: a->hello_timeout = arg; return 0;
	case OPT_MAX_CONNS: a->max_conns = arg; return 0;
	case OPT_MAX_PEER: a->max_peer = arg; return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"Serve this host's plugins (the profile's) to vaccel clients over the rpc "
	"and virtio transports, in the foreground, until SIGINT or SIGTERM.\v"
	"Without --profile or $VACCEL_PROFILE the agent's profile is the one named "
	"agent (agent.yaml in ~/.config/vaccel, the system's vaccel directory, then "
	"the shipped one): the default profile's ops, with exec limited to its allow "
	"list. Settings not given as options come from the profile's agent: section. "
	"With --status, connect to a running agent and print "
	"its version, uptime, connections, live sessions and resources, and "
	"requests served.", NULL, NULL, NULL
};

/* Option, else the profile's agent: value, else the default. */
static const char *setting(const char *opt, const char *key)
{
	const char *const *v;
	size_t n;
	if (opt)
		return opt;
	return vaccel_profile_agent_option(key, &v, &n) ? NULL : v[0];
}

/* long long: the byte limits pass 2^32, which a 32-bit long does not hold. */
static bool number(const char *what, const char *s, long long min, long long max, long long *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 0);
	if (*s && !*end && !errno && v >= min && v <= max) {
		*out = v;
		return true;
	}
	cmd_error("agent: %s: '%s' is not a number in %lld..%lld", what, s, min, max);
	return false;
}

/* A mode as chmod takes it: octal digits, with or without a leading 0. */
static bool octal_mode(const char *what, const char *s, long long *out)
{
	char *end;
	errno = 0;
	long v = *s ? strtol(s, &end, 8) : -1;
	if (*s >= '0' && *s <= '7' && !*end && !errno && v <= 0777) {
		*out = v;
		return true;
	}
	cmd_error("agent: %s: '%s' is not an octal mode in 0..0777 (e.g. 0600)", what, s);
	return false;
}

static char *read_token(const char *path)
{
	char *token = NULL;
	int err = vaccel_token_read(path, &token);
	if (err)
		cmd_error("agent: token file %s: %s", path,
			  err == VACCEL_EINVAL ? "empty" : strerror(err));
	return token;
}

static int show_status(struct cmd_ctx *ctx, const char *address, const char *token)
{
	struct vaccel_agent_status st;
	char err[512];
	int ret = vaccel_agent_status(address, token, &st, err, sizeof(err));
	if (ret) {
		cmd_error("agent --status: %s", err);
		return EXIT_OP_FAILED;
	}
	if (ctx->json) {
		struct json j;
		json_begin(&j, stdout);
		json_str(&j, "command", "agent status");
		json_str(&j, "address", address);
		json_str(&j, "version", st.version);
		json_int(&j, "uptime_ms", (long long)st.uptime_ms);
		json_int(&j, "connections", (long long)st.connections);
		json_int(&j, "sessions", (long long)st.sessions);
		json_int(&j, "resources", (long long)st.resources);
		json_int(&j, "requests", (long long)st.requests);
		json_end(&j);
	} else {
		printf("agent:       %s\nversion:     %s\nuptime_ms:   %llu\nconnections: %llu\n"
		       "sessions:    %llu\nresources:   %llu\nrequests:    %llu\n", address,
		       st.version, (unsigned long long)st.uptime_ms,
		       (unsigned long long)st.connections, (unsigned long long)st.sessions,
		       (unsigned long long)st.resources, (unsigned long long)st.requests);
	}
	return EXIT_OK;
}

/* Settings from options, else the profile's agent: section, else defaults. */
static int settings(struct agent_args *o, struct vaccel_agent_config *cfg, char **token)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	long long workers = cpus < 2 ? 2 : cpus, frame = 256LL << 20, res = 1LL << 30, mode = 0600,
		  inflight = 32, send_ms = 30000, hello_ms = 10000, conns = 1024, per_peer = 64;
	const char *s;
	if (((s = setting(o->workers, "workers")) && !number("workers", s, 1, 1024, &workers)) ||
	    ((s = setting(o->max_frame, "max-frame-bytes")) &&
	     !number("max-frame-bytes", s, 4096, 0xffffffffLL, &frame)) ||
	    ((s = setting(o->max_res, "max-resource-bytes")) &&
	     !number("max-resource-bytes", s, 1, 1LL << 40, &res)) ||
	    ((s = setting(o->mode, "socket-mode")) && !octal_mode("socket-mode", s, &mode)) ||
	    ((s = setting(o->inflight, "max-inflight")) &&
	     !number("max-inflight", s, 1, 65536, &inflight)) ||
	    ((s = setting(o->send_timeout, "send-timeout-ms")) &&
	     !number("send-timeout-ms", s, 1, 86400000L, &send_ms)) ||
	    ((s = setting(o->hello_timeout, "handshake-timeout-ms")) &&
	     !number("handshake-timeout-ms", s, 1, 86400000L, &hello_ms)) ||
	    ((s = setting(o->max_conns, "max-connections")) &&
	     !number("max-connections", s, 1, 1000000, &conns)) ||
	    ((s = setting(o->max_peer, "max-connections-per-peer")) &&
	     !number("max-connections-per-peer", s, 1, 1000000, &per_peer)))
		return EXIT_USAGE;
	if ((s = setting(o->token_file, "token-file")) && !(*token = read_token(s)))
		return EXIT_INPUT;
	cfg->workers = (unsigned)workers;
	cfg->max_frame = (uint32_t)frame;
	cfg->max_resource = (uint64_t)res;
	cfg->socket_mode = (unsigned)mode;
	cfg->token = *token;
	cfg->max_inflight = (unsigned)inflight;
	cfg->send_timeout_ms = (unsigned)send_ms;
	cfg->handshake_timeout_ms = (unsigned)hello_ms;
	cfg->max_connections = (unsigned)conns;
	cfg->max_connections_per_peer = (unsigned)per_peer;
	return EXIT_OK;
}

static int serve(struct cmd_ctx *ctx, struct agent_args *o, const char *const *listen, size_t n)
{
	char *token = NULL;
	struct vaccel_agent_config cfg = { 0 };
	int rc = settings(o, &cfg, &token);
	if (rc)
		return rc;
	cfg.listen = listen;
	cfg.nr_listen = n;
	/* The agent's log goes to stderr at info level unless told otherwise. */
	if (!ctx->log_level && !getenv("VACCEL_LOG_LEVEL") && vaccel_log_get_level() < VACCEL_LOG_INFO)
		vaccel_log_set_level(VACCEL_LOG_INFO);
	int ret = vaccel_agent_start(&cfg);
	if (ret) {
		cmd_error("agent: could not start: %s", vaccel_strerror(ret));
		free(token);
		return ret == VACCEL_EINVAL ? EXIT_USAGE : EXIT_OP_FAILED;
	}
	fprintf(stderr, "vaccel agent %s: ready, %u workers\n", vaccel_version(), cfg.workers);
	sigset_t stop;
	int sig = 0;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigwait(&stop, &sig);
	vaccel_info("agent: signal %d: stopping", sig);
	vaccel_agent_stop();
	free(token);
	return EXIT_OK;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct agent_args o = { 0 };
	int rc;

	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (o.status) {
		char *token = NULL;
		if (o.token_file && !(token = read_token(o.token_file)))
			return EXIT_INPUT;
		rc = show_status(ctx, o.status, token);
		free(token);
		return rc;
	}
	/* Block the stop signals before plugins start threads (OpenBLAS does at
	 * load): threads inherit the mask, so only sigwait below sees them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	/* Not the default profile: that one lets exec call any library. */
	if (!ctx->profile && !(getenv("VACCEL_PROFILE") && *getenv("VACCEL_PROFILE")))
		ctx->profile = "agent";
	if ((rc = cmd_bootstrap(ctx)))
		return rc;
	/* An agent forwarding to an agent would loop. */
	for (size_t i = 0; i < vaccel_plugin_count(); i++) {
		struct vaccel_instance_info info;
		if (!vaccel_plugin_get_info(i, &info) &&
		    (!strcmp(info.name, "rpc") || !strcmp(info.name, "virtio"))) {
			cmd_error("agent: profile %s uses the %s plugin; an agent needs host "
				  "plugins (e.g. --profile native)", vaccel_profile_source(), info.name);
			return EXIT_USAGE;
		}
	}
	const char *const *listen = o.listen;
	size_t n = o.nr_listen;
	if (!n && vaccel_profile_agent_option("listen", &listen, &n))
		n = 0;
	if (!n) {
		cmd_error("agent: no address to listen on: give --listen or agent: listen: in the profile");
		return EXIT_USAGE;
	}
	if (n > MAX_LISTEN) {
		cmd_error("agent: at most %d addresses to listen on", MAX_LISTEN);
		return EXIT_USAGE;
	}
	return serve(ctx, &o, listen, n);
}

const struct cmd_entry cmd_agent_entry = {
	.name = "agent",
	.summary = "serve this host's plugins to clients (rpc, virtio), or --status",
	.run = run,
};
