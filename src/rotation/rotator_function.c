/*
 * rotator_function.c: external rotation functions.
 *
 * A function registered as a command is an executable run once per step:
 * the rotation event (the JSON an AWS rotation Lambda receives:
 * {"SecretId", "ClientRequestToken", "Step", "RotationToken"}) arrives on
 * its standard input; its environment holds only what it needs to call
 * back into the Secrets Manager API (AWS_ENDPOINT_URL,
 * AWS_ENDPOINT_URL_SECRETSMANAGER, AWS_REGION, and the attempt's own
 * temporary credentials AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN, scoped to the secret), never the server's (no root
 * key).  The secret and the token travel in locked, wiped buffers.  Exit
 * status 0 is success.  Its output is kept (the last bytes) for the server
 * log; DescribeSecret only says how it failed.
 *
 * A function registered as a URL gets the event as an HTTP POST body, with
 * the same credentials in X-Sesame-* headers (X-Sesame-Session-Token for
 * the token); a 2xx answer is success.
 * Only http:// URLs on loopback addresses are accepted, so the credentials
 * never cross a network in clear text.
 *
 * Each step has a deadline; a function that overruns it (or a server that
 * stops meanwhile) is killed with its whole process group.
 *
 * Thread-safety: reentrant.  fork() is followed in the child only by
 * async-signal-safe calls, everything prepared before it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "common/log.h"
#include "rotation/rotation.h"

#define OUTPUT_KEEP		2048	/* bytes of a function's output kept */
#define POLL_SLICE_MS		100
#define ENV_MAX			24
#define URL_MAX			1024
#define RESPONSE_LINE_MAX	256

static int64_t
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static bool
stopping(const struct rotation_config *cfg)
{
	return cfg->should_stop != NULL && cfg->should_stop(cfg->should_stop_arg);
}

/* The event JSON; NULL on allocation failure. */
static char *
event_json(const struct rotation_attempt *a, const char *step)
{
	json_t	*o;
	char	*text;

	o = json_pack("{s:s, s:s, s:s, s:s}", "SecretId",
	    a->claim->rotation.secret_arn, "ClientRequestToken",
	    a->claim->version_id, "Step", step, "RotationToken",
	    a->claim->rotation.rotation_token != NULL ?
	    a->claim->rotation.rotation_token : "");
	if (o == NULL)
		return NULL;
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return text;
}

/* Keep the last OUTPUT_KEEP bytes of a stream. */
struct output_tail {
	char	 buf[OUTPUT_KEEP + 1];
	size_t	 len;
	bool	 is_truncated;
};

static void
output_add(struct output_tail *t, const char *data, size_t len)
{
	if (len >= OUTPUT_KEEP) {
		memcpy(t->buf, data + len - OUTPUT_KEEP, OUTPUT_KEEP);
		t->len = OUTPUT_KEEP;
		t->is_truncated = true;
		return;
	}
	if (t->len + len > OUTPUT_KEEP) {
		size_t drop = t->len + len - OUTPUT_KEEP;

		memmove(t->buf, t->buf + drop, t->len - drop);
		t->len -= drop;
		t->is_truncated = true;
	}
	memcpy(t->buf + t->len, data, len);
	t->len += len;
}

/* Printable text for the log: control characters become '.'. */
static const char *
output_text(struct output_tail *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->buf[i] != '\n' && !isprint((unsigned char)t->buf[i]))
			t->buf[i] = '.';
	while (t->len > 0 && t->buf[t->len - 1] == '\n')
		t->len--;
	t->buf[t->len] = '\0';
	return t->buf;
}

/* ---- the environment of a command ---- */

struct child_env {
	char			*vars[ENV_MAX];
	size_t			 count;
	/* AWS_SECRET_ACCESS_KEY=..., AWS_SESSION_TOKEN=... */
	struct secret_buf	*secrets[2];
	size_t			 secret_count;
	char			*envp[ENV_MAX + 3];
};

static void
child_env_cleanup(struct child_env *e)
{
	for (size_t i = 0; i < e->count; i++)
		free(e->vars[i]);
	for (size_t i = 0; i < e->secret_count; i++)
		secret_buf_free(e->secrets[i]);
	memset(e, 0, sizeof(*e));
}

/* NAME=value in locked memory, wiped when freed. */
static bool
child_env_add_secret(struct child_env *e, const char *name, const char *value)
{
	struct secret_buf	*b;
	size_t			 n = strlen(name), len = strlen(value);

	if (e->secret_count == sizeof(e->secrets) / sizeof(e->secrets[0]) ||
	    (b = secret_buf_new(n + 1 + len)) == NULL)
		return false;
	e->secrets[e->secret_count++] = b;
	if (secret_buf_append(b, name, n) != STATUS_OK ||
	    secret_buf_append(b, "=", 1) != STATUS_OK ||
	    secret_buf_append(b, value, len) != STATUS_OK)
		return false;
	b->data[b->len] = '\0';
	return true;
}

static bool
child_env_add(struct child_env *e, const char *name, const char *value)
{
	char *var;

	if (value == NULL)
		return true;
	if (e->count == ENV_MAX || asprintf(&var, "%s=%s", name, value) < 0)
		return false;
	e->vars[e->count++] = var;
	return true;
}

static enum status
child_env_build(const struct rotation_attempt *a, const char *step,
    struct child_env *e)
{
	const struct rotation_config	*cfg = a->cfg;
	const struct core_rotation_claim *c = a->claim;
	char				 offset[32];
	size_t				 n = 0;

	memset(e, 0, sizeof(*e));
	snprintf(offset, sizeof(offset), "%lld",
	    (long long)(cfg->clock_offset_ms / 1000));
	if (!child_env_add(e, "PATH", "/usr/local/bin:/usr/bin:/bin") ||
	    !child_env_add(e, "LANG", "C.UTF-8") ||
	    !child_env_add(e, "HOME", "/") ||
	    !child_env_add(e, "AWS_REGION", c->rotation.region) ||
	    !child_env_add(e, "AWS_DEFAULT_REGION", c->rotation.region) ||
	    !child_env_add(e, "AWS_ENDPOINT_URL", cfg->endpoint_url) ||
	    !child_env_add(e, "AWS_ENDPOINT_URL_SECRETSMANAGER",
	    cfg->endpoint_url) ||
	    !child_env_add(e, "AWS_CA_BUNDLE", cfg->ca_file) ||
	    !child_env_add(e, "AWS_CONFIG_FILE", "/dev/null") ||
	    !child_env_add(e, "AWS_SHARED_CREDENTIALS_FILE", "/dev/null") ||
	    !child_env_add(e, "AWS_EC2_METADATA_DISABLED", "true") ||
	    !child_env_add(e, "AWS_ACCESS_KEY_ID", c->has_credentials ?
	    c->credentials.key.access_key_id : NULL) ||
	    !child_env_add(e, "SESAME_SECRET_ID", c->rotation.secret_arn) ||
	    !child_env_add(e, "SESAME_CLIENT_REQUEST_TOKEN", c->version_id) ||
	    !child_env_add(e, "SESAME_ROTATION_STEP", step) ||
	    !child_env_add(e, "SESAME_TEST_CLOCK_OFFSET_SECONDS",
	    cfg->clock_offset_ms != 0 ? offset : NULL))
		goto fail;
	if (c->has_credentials && (!child_env_add_secret(e,
	    "AWS_SECRET_ACCESS_KEY", c->credentials.key.secret_access_key) ||
	    !child_env_add_secret(e, "AWS_SESSION_TOKEN",
	    c->credentials.session_token)))
		goto fail;
	for (size_t i = 0; i < e->count; i++)
		e->envp[n++] = e->vars[i];
	for (size_t i = 0; i < e->secret_count; i++)
		e->envp[n++] = (char *)e->secrets[i]->data;
	e->envp[n] = NULL;
	return STATUS_OK;
fail:
	child_env_cleanup(e);
	return STATUS_NO_MEMORY;
}

/* ---- commands ---- */

/* In the child, between fork and exec: async-signal-safe calls only. */
static void
child_exec(const char *path, int in_fd, int out_fd, int max_fd,
    char *const envp[])
{
	struct sigaction sa;
	sigset_t	 none;
	char		*argv[2];

	argv[0] = (char *)path;
	argv[1] = NULL;
	(void)setpgid(0, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(out_fd, 2) < 0)
		_exit(126);
	if (close_range(3, ~0U, 0) != 0)
		for (int fd = 3; fd < max_fd; fd++)
			(void)close(fd);
	if (chdir("/") != 0)
		_exit(126);
	execve(path, argv, envp);
	_exit(127);
}

static int
fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > 65536)
		return 65536;
	return (int)rl.rlim_cur;
}

static enum status
command_run(const struct rotation_attempt *a,
    const struct rotation_function_record *fn, const char *step,
    int64_t timeout_ms, struct error *err)
{
	struct child_env	 env;
	struct output_tail	 tail;
	char			*event = NULL;
	int			 in_pipe[2] = { -1, -1 }, out_pipe[2] = { -1, -1 };
	int			 status = 0, max_fd = fd_limit();
	int64_t			 deadline = monotonic_ms() + timeout_ms;
	pid_t			 pid = -1;
	bool			 has_exited = false, is_eof = false;
	bool			 is_timeout = false, is_stop = false;
	enum status		 st = STATUS_NO_MEMORY;
	const char		*name = rotation_function_name(fn->arn);

	memset(&tail, 0, sizeof(tail));
	memset(&env, 0, sizeof(env));
	if ((event = event_json(a, step)) == NULL ||
	    child_env_build(a, step, &env) != STATUS_OK)
		goto out;
	if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) {
		st = error_set(err, STATUS_INTERNAL, "%s: the rotation function "
		    "could not be started", step);
		goto out;
	}
	if ((pid = fork()) < 0) {
		log_error("rotation: fork for %s: %s", fn->target,
		    strerror(errno));
		st = error_set(err, STATUS_INTERNAL, "%s: the rotation function "
		    "could not be started", step);
		goto out;
	}
	if (pid == 0)
		child_exec(fn->target, in_pipe[0], out_pipe[1], max_fd,
		    env.envp);
	close(in_pipe[0]);
	close(out_pipe[1]);
	in_pipe[0] = out_pipe[1] = -1;

	/* The event is far smaller than a pipe's buffer; the server ignores
	 * SIGPIPE, so a function that never reads only costs an EPIPE. */
	if (write(in_pipe[1], event, strlen(event)) < 0 && errno != EPIPE)
		log_warn("rotation: writing the event to %s: %s", fn->target,
		    strerror(errno));
	close(in_pipe[1]);
	in_pipe[1] = -1;

	while (!has_exited || !is_eof) {
		struct pollfd	 pfd;
		char		 buf[OUTPUT_KEEP];
		ssize_t		 n;
		pid_t		 w;

		if (!has_exited) {
			w = waitpid(pid, &status, WNOHANG);
			if (w == pid)
				has_exited = true;
			else if (w < 0 && errno != EINTR) {
				has_exited = true;
				status = -1;
			}
		}
		if (has_exited && is_eof)
			break;
		if (stopping(a->cfg) || monotonic_ms() > deadline) {
			is_stop = stopping(a->cfg);
			is_timeout = !is_stop;
			break;
		}
		if (is_eof) {
			struct timespec pause = { 0, POLL_SLICE_MS * 1000000L };

			nanosleep(&pause, NULL);
			continue;
		}
		pfd.fd = out_pipe[0];
		pfd.events = POLLIN;
		if (poll(&pfd, 1, POLL_SLICE_MS) <= 0)
			continue;
		n = read(out_pipe[0], buf, sizeof(buf));
		if (n > 0)
			output_add(&tail, buf, (size_t)n);
		else if (n == 0 || errno != EINTR)
			is_eof = true;
		/* A function that exited but left a child holding the pipe:
		 * stop reading once it is gone. */
		if (has_exited && !is_eof) {
			pfd.events = POLLIN;
			if (poll(&pfd, 1, 0) <= 0)
				is_eof = true;
		}
	}
	if (!has_exited) {
		(void)kill(-pid, SIGKILL);
		(void)kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	pid = -1;

	if (is_stop) {
		st = error_set(err, STATUS_INTERNAL, "%s: interrupted because "
		    "the server stopped; the rotation resumes when it starts "
		    "again", step);
	} else if (is_timeout) {
		st = error_set(err, STATUS_INTERNAL, "%s: the rotation function "
		    "%s did not finish within %lld seconds", step, name,
		    (long long)(timeout_ms / 1000));
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		st = STATUS_OK;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		st = error_set(err, STATUS_INTERNAL, "%s: the rotation function "
		    "%s could not be run (its command is missing or not "
		    "executable)", step, name);
	} else if (WIFEXITED(status)) {
		st = error_set(err, STATUS_INTERNAL, "%s: the rotation function "
		    "%s failed (exit status %d; its output is in the server "
		    "log)", step, name, WEXITSTATUS(status));
	} else {
		st = error_set(err, STATUS_INTERNAL, "%s: the rotation function "
		    "%s was killed by signal %d", step, name,
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	}
	if (st != STATUS_OK)
		log_warn("rotation of %s: %s; function output%s:\n%s",
		    a->claim->rotation.secret_arn, err->message,
		    tail.is_truncated ? " (last bytes)" : "", output_text(&tail));
	else if (tail.len > 0)
		log_debug("rotation of %s: %s %s: output:\n%s",
		    a->claim->rotation.secret_arn, name, step,
		    output_text(&tail));
out:
	if (pid > 0) {
		(void)kill(-pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	for (int i = 0; i < 2; i++) {
		if (in_pipe[i] >= 0)
			close(in_pipe[i]);
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
	}
	child_env_cleanup(&env);
	if (event != NULL) {
		explicit_bzero(event, strlen(event));
		free(event);
	}
	if (st == STATUS_NO_MEMORY && err->message[0] == '\0')
		error_set(err, st, "%s: out of memory", step);
	explicit_bzero(&tail, sizeof(tail));
	return st;
}

/* ---- URLs ---- */

struct http_url {
	char	 host[256];
	char	 port[8];
	char	 path[URL_MAX];
};

static bool
host_is_loopback(const char *host)
{
	struct in_addr	 a4;
	struct in6_addr	 a6;

	if (strcmp(host, "localhost") == 0)
		return true;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, host, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6);
	return false;
}

/* http://HOST[:PORT][/PATH] with HOST a name, an IPv4 or [IPv6] address.
 * https is accepted too (for the endpoint of the API only: probing). */
static bool
url_parse(const char *url, struct http_url *out, bool *is_https)
{
	const char	*p, *host_end, *port = NULL;
	long		 port_number;
	size_t		 n;

	memset(out, 0, sizeof(*out));
	if (strncmp(url, "http://", 7) == 0) {
		p = url + 7;
		*is_https = false;
	} else if (strncmp(url, "https://", 8) == 0) {
		p = url + 8;
		*is_https = true;
	} else
		return false;
	if (*p == '[') {
		if ((host_end = strchr(p, ']')) == NULL)
			return false;
		n = (size_t)(host_end - p - 1);
		if (n == 0 || n >= sizeof(out->host))
			return false;
		memcpy(out->host, p + 1, n);
		p = host_end + 1;
	} else {
		n = strcspn(p, ":/");
		if (n == 0 || n >= sizeof(out->host))
			return false;
		memcpy(out->host, p, n);
		p += n;
	}
	if (*p == ':') {
		port = ++p;
		n = strcspn(p, "/");
		if (n == 0 || n >= sizeof(out->port))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!isdigit((unsigned char)p[i]))
				return false;
		memcpy(out->port, p, n);
		p += n;
	}
	if (port == NULL)
		snprintf(out->port, sizeof(out->port), *is_https ? "443" : "80");
	port_number = strtol(out->port, NULL, 10);
	if (port_number < 1 || port_number > 65535)
		return false;
	if (*p == '\0')
		p = "/";
	if (*p != '/' || strlen(p) >= sizeof(out->path))
		return false;
	for (const char *q = p; *q; q++)
		if ((unsigned char)*q <= ' ' || *q == 0x7f)
			return false;
	snprintf(out->path, sizeof(out->path), "%s", p);
	for (const char *q = out->host; *q; q++)
		if ((unsigned char)*q <= ' ' || *q == '/' || *q == '@')
			return false;
	return true;
}

/* A connected TCP socket, or -1. */
static int
tcp_connect(const struct http_url *u, int64_t timeout_ms)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	int		 fd = -1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(u->host, u->port, &hints, &res) != 0)
		return -1;
	for (ai = res; ai != NULL && fd < 0; ai = ai->ai_next) {
		struct pollfd	 pfd;
		socklen_t	 len = sizeof(int);
		int		 so_error = 0;

		if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC |
		    SOCK_NONBLOCK, ai->ai_protocol)) < 0)
			continue;
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		pfd.fd = fd;
		pfd.events = POLLOUT;
		if (errno == EINPROGRESS && poll(&pfd, 1, (int)timeout_ms) == 1 &&
		    getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len) == 0 &&
		    so_error == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

/* Send all of buf before the deadline. */
static bool
send_all(int fd, const char *buf, size_t len, int64_t deadline)
{
	while (len > 0) {
		struct pollfd	 pfd = { fd, POLLOUT, 0 };
		ssize_t		 n;
		int64_t		 left = deadline - monotonic_ms();

		if (left <= 0 || poll(&pfd, 1, left > POLL_SLICE_MS ?
		    POLL_SLICE_MS : (int)left) < 0)
			return false;
		if ((pfd.revents & POLLOUT) == 0)
			continue;
		if ((n = send(fd, buf, len, MSG_NOSIGNAL)) < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			return false;
		}
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* "Name: value\r\n" into a request held in locked memory. */
static bool
header_add_secret(struct secret_buf *request, const char *name,
    const char *value)
{
	return secret_buf_append(request, name, strlen(name)) == STATUS_OK &&
	    secret_buf_append(request, ": ", 2) == STATUS_OK &&
	    secret_buf_append(request, value, strlen(value)) == STATUS_OK &&
	    secret_buf_append(request, "\r\n", 2) == STATUS_OK;
}

static enum status
url_run(const struct rotation_attempt *a,
    const struct rotation_function_record *fn, const char *step,
    int64_t timeout_ms, struct error *err)
{
	const struct core_rotation_claim *c = a->claim;
	struct http_url		 u;
	struct secret_buf	*request = NULL;
	char			 head[2048], line[RESPONSE_LINE_MAX + 1];
	char			*event = NULL;
	const char		*name = rotation_function_name(fn->arn);
	int64_t			 deadline = monotonic_ms() + timeout_ms;
	size_t			 line_len = 0;
	bool			 is_https, is_complete = false;
	int			 fd = -1, code = 0, n;
	enum status		 st;

	if (!url_parse(fn->target, &u, &is_https) || is_https ||
	    !host_is_loopback(u.host))
		return error_set(err, STATUS_INVALID_REQUEST, "%s: the rotation "
		    "function %s has an unusable URL", step, name);
	if ((event = event_json(a, step)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	n = snprintf(head, sizeof(head),
	    "POST %s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json"
	    "\r\nContent-Length: %zu\r\nConnection: close\r\n"
	    "X-Sesame-Endpoint-Url: %s\r\nX-Sesame-Region: %s\r\n"
	    "X-Sesame-Access-Key-Id: %s\r\n",
	    u.path, u.host, u.port, strlen(event),
	    a->cfg->endpoint_url != NULL ? a->cfg->endpoint_url : "",
	    c->rotation.region, c->has_credentials ?
	    c->credentials.key.access_key_id : "");
	if (n < 0 || (size_t)n >= sizeof(head)) {
		st = error_set(err, STATUS_INTERNAL, "%s: the request to the "
		    "rotation function %s is too large", step, name);
		goto out;
	}
	if ((request = secret_buf_new(sizeof(head) + strlen(event) + 512)) ==
	    NULL ||
	    secret_buf_append(request, head, (size_t)n) != STATUS_OK ||
	    (c->has_credentials && (!header_add_secret(request,
	    "X-Sesame-Secret-Access-Key",
	    c->credentials.key.secret_access_key) ||
	    !header_add_secret(request, "X-Sesame-Session-Token",
	    c->credentials.session_token))) ||
	    secret_buf_append(request, "\r\n", 2) != STATUS_OK ||
	    secret_buf_append(request, event, strlen(event)) != STATUS_OK) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	if ((fd = tcp_connect(&u, timeout_ms)) < 0) {
		st = error_set(err, STATUS_INTERNAL, "%s: the rotation function "
		    "%s could not be reached", step, name);
		goto out;
	}
	if (!send_all(fd, (const char *)request->data, request->len,
	    deadline)) {
		st = error_set(err, STATUS_INTERNAL, "%s: the rotation function "
		    "%s did not take the request", step, name);
		goto out;
	}
	/* The status line is all that matters. */
	while (!is_complete && line_len < RESPONSE_LINE_MAX) {
		struct pollfd	 pfd = { fd, POLLIN, 0 };
		ssize_t		 r;

		if (stopping(a->cfg) || monotonic_ms() > deadline)
			break;
		if (poll(&pfd, 1, POLL_SLICE_MS) <= 0)
			continue;
		if ((r = recv(fd, line + line_len, RESPONSE_LINE_MAX - line_len,
		    0)) <= 0) {
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			break;
		}
		line_len += (size_t)r;
		line[line_len] = '\0';
		is_complete = strstr(line, "\r\n") != NULL;
	}
	line[line_len] = '\0';
	if (!is_complete && line_len < RESPONSE_LINE_MAX) {
		st = error_set(err, STATUS_INTERNAL, stopping(a->cfg) ?
		    "%s: interrupted because the server stopped; the rotation "
		    "resumes when it starts again" : "%s: the rotation function "
		    "%s did not answer in time", step, name);
		goto out;
	}
	if (sscanf(line, "HTTP/1.%*d %d", &code) != 1 || code < 200 ||
	    code > 299) {
		line[strcspn(line, "\r\n")] = '\0';
		log_warn("rotation of %s: %s %s answered \"%.100s\"",
		    c->rotation.secret_arn, name, step, line);
		st = error_set(err, STATUS_INTERNAL, "%s: the rotation function "
		    "%s failed (HTTP status %d)", step, name, code);
		goto out;
	}
	st = STATUS_OK;
out:
	if (fd >= 0)
		close(fd);
	secret_buf_free(request);
	if (event != NULL) {
		explicit_bzero(event, strlen(event));
		free(event);
	}
	explicit_bzero(head, sizeof(head));
	return st;
}

/* ---- entry points ---- */

enum status
rotator_function_invoke(const struct rotation_attempt *a,
    const struct rotation_function_record *fn, const char *step,
    struct error *err)
{
	int64_t timeout_s = fn->timeout_seconds > 0 ? fn->timeout_seconds :
	    a->cfg->function_timeout_seconds;

	if (timeout_s <= 0)
		timeout_s = 60;
	if (strcmp(fn->kind, ROTATION_FUNCTION_COMMAND) == 0)
		return command_run(a, fn, step, timeout_s * 1000, err);
	if (strcmp(fn->kind, ROTATION_FUNCTION_URL) == 0)
		return url_run(a, fn, step, timeout_s * 1000, err);
	return error_set(err, STATUS_INTERNAL, "%s: the rotation function has "
	    "an unknown kind", step);
}

enum status
rotator_function_check(const char *kind, const char *target,
    struct error *err)
{
	struct http_url	 u;
	struct stat	 sb;
	bool		 is_https;

	if (strcmp(kind, ROTATION_FUNCTION_COMMAND) == 0) {
		if (target[0] != '/')
			return error_set(err, STATUS_INVALID_PARAMETER,
			    "the command must be an absolute path");
		if (stat(target, &sb) != 0 || !S_ISREG(sb.st_mode) ||
		    access(target, X_OK) != 0)
			return error_set(err, STATUS_INVALID_PARAMETER,
			    "%s is not an executable file", target);
		return STATUS_OK;
	}
	if (strcmp(kind, ROTATION_FUNCTION_URL) == 0) {
		if (!url_parse(target, &u, &is_https) || is_https)
			return error_set(err, STATUS_INVALID_PARAMETER,
			    "the URL must be http://HOST[:PORT][/PATH]");
		if (!host_is_loopback(u.host))
			return error_set(err, STATUS_INVALID_PARAMETER,
			    "the URL must name a loopback address (127.0.0.1, "
			    "[::1], localhost): the function's credentials "
			    "travel with each request in clear text");
		return STATUS_OK;
	}
	return error_set(err, STATUS_INVALID_PARAMETER,
	    "a function is a command or a url");
}

bool
rotator_function_endpoint_ready(const char *endpoint_url)
{
	struct http_url	 u;
	bool		 is_https;
	int		 fd;

	if (endpoint_url == NULL || !url_parse(endpoint_url, &u, &is_https))
		return false;
	if ((fd = tcp_connect(&u, 1000)) < 0)
		return false;
	close(fd);
	return true;
}
