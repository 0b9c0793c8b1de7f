/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vaccel bench: the processes. One process bootstraps one profile, so the
 * command itself never bootstraps: its own agent is a child (the host
 * profile, private sockets), and each cell forks its clients, each
 * bootstrapping its transport's profile, warming up, waiting for the common
 * start, timing its calls and leaving its samples in a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vaccel.h>
#include <vaccel/agent.h>
#include <vaccel/plugin.h>
#include "../bench/bench.h"

const char *const bench_transport_names[BENCH_NR_TRANSPORTS] = {
	[BENCH_NATIVE] = "native", [BENCH_RPC] = "rpc", [BENCH_RPC_TCP] = "rpc-tcp",
	[BENCH_VIRTIO] = "virtio",
};

/* The profile and address variables of the caller must not reach a child. */
static void clean_environment(void)
{
	unsetenv("VACCEL_RPC_ADDRESS");
	unsetenv("VACCEL_VIRTIO_ADDRESS");
	unsetenv("VACCEL_PLUGINS");
	unsetenv("VACCEL_PROFILE");
}

/*
 * The host profile (native cells, the agent) must run ops here: an rpc or
 * virtio plugin in it would send them to some other agent, or to ours in
 * a loop. 0, or -1 with the reason in err.
 */
static int host_plugins_only(const char *profile, char *err, size_t errlen)
{
	for (size_t i = 0; i < vaccel_plugin_count(); i++) {
		struct vaccel_instance_info info;
		if (!vaccel_plugin_get_info(i, &info) &&
		    (!strcmp(info.name, "rpc") || !strcmp(info.name, "virtio"))) {
			snprintf(err, errlen, "profile %.80s uses the %s plugin; the host profile "
				 "needs host plugins (e.g. --profile native)", profile, info.name);
			return -1;
		}
	}
	return 0;
}

/* ---- the agent ---- */

struct agent_status {
	int ret;
	bool profile_error;  /* the host profile did not load, or is not a host's */
	char err[256];
};

_Noreturn static void agent_child(struct bench_env *e, int fd)
{
	struct agent_status st = { 0 };
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	/* Before any thread starts (OpenBLAS does when loaded): only sigwait sees them. */
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	clean_environment();
	/* The agent's log goes to a file of the run: the report stays clean. */
	char log[300];
	snprintf(log, sizeof(log), "%s/agent.log", e->dir);
	int lfd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (lfd >= 0) {
		dup2(lfd, STDERR_FILENO);
		close(lfd);
	}
	st.ret = vaccel_bootstrap_profile(e->host_profile, e->log_level, st.err, sizeof(st.err));
	if (!st.ret && host_plugins_only(e->host_profile, st.err, sizeof(st.err)))
		st.ret = VACCEL_EINVAL;
	st.profile_error = st.ret != 0;
	if (!st.ret) {
		const char *listen[] = { e->address[BENCH_RPC], e->address[BENCH_RPC_TCP],
					 e->address[BENCH_VIRTIO] };
		struct vaccel_agent_config cfg = {
			.listen = listen, .nr_listen = 3, .socket_mode = 0600,
			.max_frame = UINT32_MAX, .max_resource = 1ull << 32,
		};
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		cfg.workers = cpus < 2 ? 2 : (unsigned)cpus;
		if ((st.ret = vaccel_agent_start(&cfg)))
			snprintf(st.err, sizeof(st.err), "could not start: %s (see its log)",
				 vaccel_strerror(st.ret));
	}
	bench_full_io(fd, &st, sizeof(st), true);
	close(fd);
	if (st.ret)
		_exit(1);
	int sig;
	sigwait(&stop, &sig);
	vaccel_agent_stop();
	vaccel_cleanup();
	_exit(0);
}

int bench_agent_start(struct bench_env *e, char *err, size_t errlen)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC)) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		agent_child(e, p[1]);
	}
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	e->agent = pid;
	struct agent_status st = { .ret = -1 };
	/* Loading plugins (OpenCV) can take a while on a busy machine. */
	struct pollfd pfd = { .fd = p[0], .events = POLLIN };
	int n;
	do
		n = poll(&pfd, 1, 120000);
	while (n < 0 && errno == EINTR);
	if (n <= 0 || bench_full_io(p[0], &st, sizeof(st), false))
		snprintf(st.err, sizeof(st.err), "did not start (see %.200s/agent.log)", e->dir);
	close(p[0]);
	if (st.ret) {
		snprintf(err, errlen, "agent: %s", st.err);
		bench_agent_stop(e);
		return st.profile_error ? -2 : -1;
	}
	return 0;
}

void bench_agent_stop(struct bench_env *e)
{
	if (e->agent <= 0)
		return;
	kill(e->agent, SIGTERM);
	while (waitpid(e->agent, NULL, 0) < 0 && errno == EINTR)
		;
	e->agent = 0;
}

/* ---- a client ---- */

/* What a client leaves in its file, before its samples. */
struct client_result {
	int ret;
	char err[256];
	uint64_t t_start, t_end, n, cpu_ns;
};

struct barrier {
	int ready_fd, go_fd;
};

static void at_start(void *ctx)
{
	struct barrier *b = ctx;
	char c = 1, go;
	bench_full_io(b->ready_fd, &c, 1, true);
	close(b->ready_fd);
	b->ready_fd = -1;
	/* The parent closes its end: every client starts at once. */
	while (read(b->go_fd, &go, 1) < 0 && errno == EINTR)
		;
}

_Noreturn static void client_child(struct bench_env *e, struct bench_row *row,
				   const struct bench_budget *budget, struct barrier *bar,
				   const char *path)
{
	struct client_result r = { 0 };
	struct bench_samples s = { 0 };
	struct vaccel_session sess = { 0 };
	struct bench_call *call = NULL;
	struct bench_budget b = *budget;

	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	clean_environment();
	r.ret = vaccel_bootstrap_profile(e->profile[row->t], e->log_level, r.err, sizeof(r.err));
	if (!r.ret && row->t == BENCH_NATIVE && host_plugins_only(e->host_profile, r.err, sizeof(r.err)))
		r.ret = VACCEL_EINVAL;
	if (!r.ret && (r.ret = vaccel_session_init(&sess, 0)))
		snprintf(r.err, sizeof(r.err), "session: %s", vaccel_strerror(r.ret));
	if (!r.ret)
		r.ret = bench_workload_prepare(row->w, &sess, &call, r.err, sizeof(r.err));
	if (!r.ret) {
		b.ready = at_start;
		b.ready_ctx = bar;
		if ((r.ret = bench_sample(&b, bench_workload_call, call, NULL, &s)))
			snprintf(r.err, sizeof(r.err), "%.120s: %s", row->w->name, vaccel_strerror(r.ret));
	}
	if (bar->ready_fd >= 0) /* failed before the start: do not hold the others */
		at_start(bar);
	r.t_start = s.t_start;
	r.t_end = s.t_end;
	r.n = s.n;
	r.cpu_ns = s.cpu_ns;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int ok = fd >= 0 && !bench_full_io(fd, &r, sizeof(r), true) &&
		 !bench_full_io(fd, s.ns, s.n * sizeof(*s.ns), true);
	if (fd >= 0)
		close(fd);
	bench_workload_free(call);
	if (sess.id > 0)
		vaccel_session_release(&sess);
	vaccel_cleanup();
	_exit(ok ? 0 : 1);
}

/* ---- a cell ---- */

static void kill_all(pid_t *pids, int n, int sig)
{
	for (int i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], sig);
}

static void set_error(struct bench_row *row, const char *fmt, const char *a, const char *b)
{
	if (!row->error[0])
		snprintf(row->error, sizeof(row->error), fmt, a, b);
}

/* Add the clients' files to the row's samples. */
static void collect(struct bench_env *e, struct bench_row *row, int n)
{
	uint64_t t_start = UINT64_MAX, t_end = 0;
	for (int i = 0; i < n; i++) {
		char path[300];
		snprintf(path, sizeof(path), "%s/client.%d", e->dir, i);
		struct client_result r;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || bench_full_io(fd, &r, sizeof(r), false)) {
			set_error(row, "a client died before reporting%s%s", "", "");
			if (fd >= 0)
				close(fd);
			continue;
		}
		if (r.ret) {
			set_error(row, "%s%s", r.err[0] ? r.err : vaccel_strerror(r.ret), "");
		} else if (r.n) {
			uint64_t *p = realloc(row->ns, (row->nr_ns + r.n) * sizeof(*p));
			if (p && !bench_full_io(fd, p + row->nr_ns, r.n * sizeof(*p), false)) {
				row->nr_ns += r.n;
				row->cpu_s += (double)r.cpu_ns / 1e9;
				if (r.t_start < t_start)
					t_start = r.t_start;
				if (r.t_end > t_end)
					t_end = r.t_end;
			}
			if (p)
				row->ns = p;
		}
		close(fd);
		unlink(path);
	}
	/* Rounds run one after another: the cell's wall time is their sum. */
	if (t_end > t_start)
		row->wall_s += (double)(t_end - t_start) / 1e9;
}

void bench_cell_finish(struct bench_row *row)
{
	/*
	 * Each over its own interval: the agent's also spans the clients'
	 * exits. Below 0.1 s of calls the clocks' reads and the exits weigh
	 * more than the calls: no figure.
	 */
	row->cores = row->wall_s >= 0.1 && row->cpu_s > 0 ? row->cpu_s / row->wall_s : NAN;
	if (isfinite(row->cores) && row->agent_wall_s > 0)
		row->cores += row->agent_cpu_s / row->agent_wall_s;
	bench_stats(row->ns, row->error[0] ? 0 : row->nr_ns, row->wall_s, &row->s);
	free(row->ns);
	row->ns = NULL;
	row->nr_ns = 0;
	double flops = bench_workload_flops(row->w), bytes = bench_workload_payload(row->w);
	row->gflops = flops && row->s.n ? flops / (row->s.p50 * 1e3) : NAN;
	row->gb_per_s = bytes && row->s.n ? bytes / (row->s.mean * 1e3) : NAN;
}

void bench_cell_run(struct bench_env *e, struct bench_row *row, const struct bench_budget *b,
		    volatile int *stop)
{
	int ready[2], go[2], n = row->clients;
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	if (!pids || pipe2(ready, O_CLOEXEC)) {
		free(pids);
		set_error(row, "%s%s", strerror(errno ? errno : ENOMEM), "");
		return;
	}
	if (pipe2(go, O_CLOEXEC)) {
		close(ready[0]);
		close(ready[1]);
		free(pids);
		set_error(row, "%s%s", strerror(errno), "");
		return;
	}
	fflush(NULL);
	for (int i = 0; i < n; i++) {
		char path[300];
		snprintf(path, sizeof(path), "%s/client.%d", e->dir, i);
		pids[i] = fork();
		if (pids[i] == 0) {
			struct barrier bar = { ready[1], go[0] };
			close(ready[0]);
			close(go[1]);
			client_child(e, row, b, &bar, path);
		}
		if (pids[i] < 0)
			set_error(row, "fork: %s%s", strerror(errno), "");
	}
	close(ready[1]);
	close(go[0]);
	/* Every client warmed up (or failed): start them together. */
	char c;
	for (int got = 0; got < n && !*stop;) {
		ssize_t r = read(ready[0], &c, 1);
		if (r == 0)
			break;
		if (r > 0)
			got++;
	}
	close(ready[0]);
	/* Our own agent's CPU over the cell counts: the remote op runs there. */
	clockid_t agent_clock;
	bool agent_cpu = row->t != BENCH_NATIVE && e->agent > 0 &&
			 !clock_getcpuclockid(e->agent, &agent_clock);
	uint64_t agent0 = agent_cpu ? bench_clock_ns(agent_clock) : 0, agent_t0 = bench_now_ns();
	close(go[1]);
	for (int i = 0; i < n; i++) {
		while (pids[i] > 0 && waitpid(pids[i], NULL, 0) < 0) {
			if (errno != EINTR)
				break;
			if (*stop)
				kill_all(pids, n, SIGTERM);
		}
	}
	if (agent_cpu) {
		row->agent_cpu_s += (double)(bench_clock_ns(agent_clock) - agent0) / 1e9;
		row->agent_wall_s += (double)(bench_now_ns() - agent_t0) / 1e9;
	}
	free(pids);
	if (*stop) {
		set_error(row, "interrupted%s%s", "", "");
		return;
	}
	collect(e, row, n);
}
