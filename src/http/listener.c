/*
 * listener.c: libmicrohttpd in epoll mode, one daemon (one thread) per
 * worker, each with its own listening socket on the same port
 * (listen_sockets.c: the kernel spreads the connections over them).
 *
 * Body handling avoids libmicrohttpd's keep-alive trap: a response queued on
 * the first callback, before the body is read, makes the library close the
 * connection.  So the first callback only allocates the per-request state;
 * the body is accumulated (bounded by max_body_bytes) and the handler runs on
 * the final callback, when upload_data_size is 0.
 *
 * Framing that could let a proxy and this server disagree about where a
 * request ends is refused in the first callback, before any body is read
 * (RFC 9112 5.1, 6.1, 6.3): a header name holding whitespace, two different
 * Content-Length values, Content-Length with Transfer-Encoding (400), a
 * Transfer-Encoding other than chunked (501).  A declared body over the cap
 * is answered 413 there too; one that grows past it while chunked is
 * drained and answered 413 at the end.  A response queued in the first
 * callback makes libmicrohttpd close the connection, as intended for these.
 *
 * Requests that may wait for the disk (the may_block callback says which:
 * writes, which wait for their group commit) do not run on the epoll
 * threads, which are as many as the CPUs: one waiting there would stall
 * every connection of its thread, and a batch could hold no more writes
 * than there are threads.  Such a request is queued for the blocking pool
 * and its connection suspended; the worker fills the response and resumes
 * the connection, and the next callback sends it.  The request's header
 * values live in the connection's memory pool, which a suspended
 * connection keeps.  Stopping drains the queue and joins the workers
 * before libmicrohttpd closes the connections.  The pool starts with one
 * worker and grows, up to its maximum, whenever more requests wait than
 * workers are idle: an idle server does not keep a stack per worker.
 */
#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "common/log.h"
#include "http/http.h"
#include "http/http_internal.h"

/* A body's first buffer; it doubles from there as chunks arrive. */
#define BODY_FIRST_CAP	256

struct request_state;
struct http_server;

static void	 pool_grow(struct http_server *srv);

struct http_server {
	struct MHD_Daemon	**daemons;	/* one per worker thread */
	size_t			 daemon_count;
	http_handler_fn		 handler;
	http_may_block_fn	 may_block;	/* NULL: nothing is offloaded */
	void			*arg;
	size_t			 max_body_bytes;
	bool			 is_tls;
	uint16_t		 port;
	char			*tls_cert;
	char			*tls_key;

	/* The blocking pool; the queue and the counts are guarded by
	 * pool_lock.  Workers start as requests need them (pool_grow). */
	pthread_mutex_t		 pool_lock;
	pthread_cond_t		 pool_wake;
	pthread_t		*workers;
	size_t			 worker_count;
	size_t			 worker_max;
	size_t			 idle_count;	/* workers waiting for work */
	size_t			 queue_count;
	bool			 has_pool;
	bool			 is_stopping;
	struct request_state	*queue_head;
	struct request_state	*queue_tail;
};

struct request_state {
	unsigned char	*body;
	size_t		 body_len;
	size_t		 body_cap;
	bool		 too_large;
	bool		 is_answered;	/* refused in the first callback */

	/* Offloaded to the blocking pool (see the top of the file). */
	bool			 is_offloaded;
	bool			 has_response;
	struct MHD_Connection	*conn;
	struct http_request	 req;
	char			*query;
	struct http_response	 resp;
	struct request_state	*next;		/* in the queue */
};

static char *
file_read_all(const char *path, struct error *err)
{
	FILE	*f = NULL;
	char	*buf = NULL, *result = NULL;
	long	 size;

	if ((f = fopen(path, "rb")) == NULL) {
		error_set(err, STATUS_IO, "cannot open %s", path);
		goto out;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    size > 1024 * 1024 || fseek(f, 0, SEEK_SET) != 0) {
		error_set(err, STATUS_IO, "cannot read %s", path);
		goto out;
	}
	if ((buf = malloc((size_t)size + 1)) == NULL) {
		error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		error_set(err, STATUS_IO, "cannot read %s", path);
		goto out;
	}
	buf[size] = '\0';
	result = buf;
	buf = NULL;
out:
	if (f != NULL)
		fclose(f);
	free(buf);
	return result;
}

static enum MHD_Result
collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct http_request *req = cls;

	if (req->header_count >= HTTP_MAX_HEADERS)
		return MHD_NO;
	req->headers[req->header_count].name = key;
	req->headers[req->header_count].value = value != NULL ? value : "";
	req->header_count++;
	return MHD_YES;
}

struct query_builder {
	char	*buf;
	size_t	 len;
	size_t	 cap;
	bool	 failed;
};

static void
query_append(struct query_builder *qb, const char *s, bool encode)
{
	static const char hexdig[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
		if (qb->len + 4 > qb->cap) {
			size_t	 ncap = qb->cap * 2 + 64;
			char	*n = realloc(qb->buf, ncap);

			if (n == NULL) {
				qb->failed = true;
				return;
			}
			qb->buf = n;
			qb->cap = ncap;
		}
		if (!encode || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		    *p == '.' || *p == '~') {
			qb->buf[qb->len++] = (char)*p;
		} else {
			qb->buf[qb->len++] = '%';
			qb->buf[qb->len++] = hexdig[*p >> 4];
			qb->buf[qb->len++] = hexdig[*p & 15];
		}
	}
}

static enum MHD_Result
collect_query(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct query_builder *qb = cls;

	if (qb->len > 0)
		query_append(qb, "&", false);
	query_append(qb, key, true);
	query_append(qb, "=", false);
	query_append(qb, value != NULL ? value : "", true);
	return qb->failed ? MHD_NO : MHD_YES;
}

/* Bodies carry secret values (GetSecretValue's answer, PutSecretValue's
 * request): wiped before they are freed. */
static void
body_free(void *body)
{
	if (body == NULL)
		return;
	explicit_bzero(body, malloc_usable_size(body));
	free(body);
}

static enum MHD_Result
send_response(struct MHD_Connection *conn, struct http_response *resp)
{
	struct MHD_Response	*mr;
	enum MHD_Result		 ret;

	if (resp->body != NULL)
		mr = MHD_create_response_from_buffer_with_free_callback(
		    resp->body_len, resp->body, body_free);
	else
		mr = MHD_create_response_from_buffer(0, (char *)"",
		    MHD_RESPMEM_PERSISTENT);
	if (mr == NULL) {
		http_response_cleanup(resp);
		return MHD_NO;
	}
	resp->body = NULL;	/* owned by libmicrohttpd now */
	if (resp->content_type != NULL)
		MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE,
		    resp->content_type);
	for (size_t i = 0; i < resp->extra_count; i++)
		MHD_add_response_header(mr, resp->extra[i].name,
		    resp->extra[i].value);
	ret = MHD_queue_response(conn, (unsigned)resp->status, mr);
	MHD_destroy_response(mr);
	http_response_cleanup(resp);
	return ret;
}

struct framing {
	const char	*content_length;
	bool		 has_conflicting_lengths;
	const char	*transfer_encoding;
	bool		 has_bad_name;
};

static enum MHD_Result
scan_framing(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct framing *f = cls;

	if (key == NULL)
		return MHD_YES;
	if (strpbrk(key, " \t") != NULL)
		f->has_bad_name = true;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
		if (f->content_length != NULL && value != NULL &&
		    strcmp(f->content_length, value) != 0)
			f->has_conflicting_lengths = true;
		if (f->content_length == NULL)
			f->content_length = value != NULL ? value : "";
	} else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
		if (f->transfer_encoding != NULL)
			f->has_conflicting_lengths = true;
		f->transfer_encoding = value != NULL ? value : "";
	}
	return MHD_YES;
}

static enum MHD_Result send_simple(struct MHD_Connection *, int, const char *);

/* Refuse ambiguous or unsupported framing; MHD_YES to read on. */
static enum MHD_Result
framing_check(struct http_server *srv, struct MHD_Connection *conn,
    bool *is_refused)
{
	struct framing	 f;

	memset(&f, 0, sizeof(f));
	*is_refused = true;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, scan_framing, &f);
	if (f.has_bad_name || f.has_conflicting_lengths ||
	    (f.content_length != NULL && f.transfer_encoding != NULL))
		return send_simple(conn, MHD_HTTP_BAD_REQUEST,
		    "{\"__type\":\"BadRequest\","
		    "\"message\":\"Ambiguous request framing\"}");
	if (f.transfer_encoding != NULL &&
	    strcasecmp(f.transfer_encoding, "chunked") != 0)
		return send_simple(conn, MHD_HTTP_NOT_IMPLEMENTED,
		    "{\"__type\":\"UnsupportedTransferEncoding\","
		    "\"message\":\"Unsupported Transfer-Encoding\"}");
	if (f.content_length != NULL &&
	    strtoull(f.content_length, NULL, 10) > srv->max_body_bytes)
		return send_simple(conn, MHD_HTTP_CONTENT_TOO_LARGE,
		    "{\"__type\":\"RequestEntityTooLargeException\","
		    "\"message\":\"Request body is too large\"}");
	*is_refused = false;
	return MHD_YES;
}

static enum MHD_Result
send_simple(struct MHD_Connection *conn, int status, const char *body)
{
	struct http_response resp = { 0 };

	resp.status = status;
	resp.content_type = "application/json";
	if ((resp.body = strdup(body)) != NULL)
		resp.body_len = strlen(body);
	return send_response(conn, &resp);
}

static void
peer_address(struct MHD_Connection *conn, char *out, size_t out_len)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;

	snprintf(out, out_len, "unknown");
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || (sa = ci->client_addr) == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
		    out, (socklen_t)out_len);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
		    out, (socklen_t)out_len);
}

static enum MHD_Result
access_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_data_size, void **con_cls)
{
	struct http_server	*srv = cls;
	struct request_state	*rs = *con_cls;
	struct http_request	 req;
	struct http_response	 resp;
	struct query_builder	 qb = { 0 };
	enum MHD_Result		 ret;

	if (rs == NULL) {
		bool		 is_refused;
		enum MHD_Result	 checked;

		if ((rs = calloc(1, sizeof(*rs))) == NULL)
			return MHD_NO;
		*con_cls = rs;
		checked = framing_check(srv, conn, &is_refused);
		if (is_refused)
			rs->is_answered = true;
		return checked;
	}
	if (rs->is_answered) {
		*upload_data_size = 0;	/* refused already: discard */
		return MHD_YES;
	}
	if (rs->is_offloaded) {
		/* Resumed by its worker (or, at stop, by libmicrohttpd). */
		if (!rs->has_response)
			return MHD_NO;
		rs->is_offloaded = false;
		rs->is_answered = true;
		return send_response(conn, &rs->resp);
	}

	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (rs->too_large || n > srv->max_body_bytes - rs->body_len) {
			rs->too_large = true;
			return MHD_YES;		/* drain; answer 413 at the end */
		}
		if (rs->body_len + n > rs->body_cap) {
			/* Most bodies are a few dozen bytes: a small first
			 * buffer is cheap to get and to wipe. */
			size_t		 ncap = rs->body_cap ? rs->body_cap :
			    BODY_FIRST_CAP;
			unsigned char	*nb;

			while (ncap < rs->body_len + n)
				ncap *= 2;
			if (ncap > srv->max_body_bytes)
				ncap = srv->max_body_bytes;
			/* Not realloc: the old copy may hold a secret value,
			 * and is wiped before it is freed. */
			if ((nb = malloc(ncap + 1)) == NULL)
				return MHD_NO;
			if (rs->body_len > 0)
				memcpy(nb, rs->body, rs->body_len);
			body_free(rs->body);
			rs->body = nb;
			rs->body_cap = ncap;
		}
		memcpy(rs->body + rs->body_len, upload_data, n);
		rs->body_len += n;
		return MHD_YES;
	}

	if (rs->too_large)
		return send_simple(conn, MHD_HTTP_CONTENT_TOO_LARGE,
		    "{\"__type\":\"RequestEntityTooLargeException\","
		    "\"message\":\"Request body is too large\"}");

	memset(&req, 0, sizeof(req));
	memset(&resp, 0, sizeof(resp));
	req.method = method;
	req.path = url;
	MHD_get_connection_values(conn, MHD_HEADER_KIND, collect_header, &req);
	if (req.header_count >= HTTP_MAX_HEADERS)
		return send_simple(conn, MHD_HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE,
		    "{\"__type\":\"RequestHeaderFieldsTooLarge\","
		    "\"message\":\"Too many request headers\"}");
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, &qb);
	if (qb.failed) {
		free(qb.buf);
		return MHD_NO;
	}
	if (qb.buf != NULL) {
		qb.buf[qb.len] = '\0';
		req.query = qb.buf;
	}
	req.body = rs->body != NULL ? rs->body : (const unsigned char *)"";
	req.body_len = rs->body_len;
	req.is_tls = srv->is_tls;
	peer_address(conn, req.peer_address, sizeof(req.peer_address));

	if (srv->has_pool && srv->may_block(srv->arg, &req)) {
		rs->req = req;
		rs->query = qb.buf;
		rs->conn = conn;
		rs->is_offloaded = true;
		pthread_mutex_lock(&srv->pool_lock);
		if (srv->queue_tail != NULL)
			srv->queue_tail->next = rs;
		else
			srv->queue_head = rs;
		srv->queue_tail = rs;
		srv->queue_count++;
		pool_grow(srv);
		/* Suspended before any worker may resume it. */
		MHD_suspend_connection(conn);
		pthread_cond_signal(&srv->pool_wake);
		pthread_mutex_unlock(&srv->pool_lock);
		return MHD_YES;
	}
	srv->handler(srv->arg, &req, &resp);
	ret = send_response(conn, &resp);
	free(qb.buf);
	return ret;
}

/* The worker side: run a queued request, then wake its connection. */
static void *
pool_worker(void *arg)
{
	struct http_server	*srv = arg;
	struct request_state	*rs;

	pthread_mutex_lock(&srv->pool_lock);
	for (;;) {
		srv->idle_count++;
		while (srv->queue_head == NULL && !srv->is_stopping)
			pthread_cond_wait(&srv->pool_wake, &srv->pool_lock);
		srv->idle_count--;
		if ((rs = srv->queue_head) == NULL)
			break;		/* stopping, and nothing left to run */
		srv->queue_head = rs->next;
		if (srv->queue_head == NULL)
			srv->queue_tail = NULL;
		srv->queue_count--;
		rs->next = NULL;
		pthread_mutex_unlock(&srv->pool_lock);

		memset(&rs->resp, 0, sizeof(rs->resp));
		srv->handler(srv->arg, &rs->req, &rs->resp);
		rs->has_response = true;
		MHD_resume_connection(rs->conn);

		pthread_mutex_lock(&srv->pool_lock);
	}
	pthread_mutex_unlock(&srv->pool_lock);
	return NULL;
}

/* Start a worker; pool_lock held.  False when the system refuses. */
static bool
pool_spawn(struct http_server *srv)
{
	if (pthread_create(&srv->workers[srv->worker_count], NULL,
	    pool_worker, srv) != 0)
		return false;
	srv->worker_count++;
	return true;
}

/*
 * One more worker when more requests wait than workers are idle, up to
 * the maximum; pool_lock held.  A failure only leaves the queue to the
 * workers already running (there is always at least one).
 */
static void
pool_grow(struct http_server *srv)
{
	if (srv->queue_count > srv->idle_count && !srv->is_stopping &&
	    srv->worker_count < srv->worker_max && !pool_spawn(srv))
		log_warn("http: cannot start another request worker (%zu "
		    "running)", srv->worker_count);
}

static void
pool_stop(struct http_server *srv)
{
	if (!srv->has_pool)
		return;
	pthread_mutex_lock(&srv->pool_lock);
	srv->is_stopping = true;
	pthread_cond_broadcast(&srv->pool_wake);
	pthread_mutex_unlock(&srv->pool_lock);
	/* No worker starts once is_stopping is set. */
	for (size_t i = 0; i < srv->worker_count; i++)
		pthread_join(srv->workers[i], NULL);
	free(srv->workers);
	srv->workers = NULL;
	srv->worker_count = 0;
	pthread_cond_destroy(&srv->pool_wake);
	pthread_mutex_destroy(&srv->pool_lock);
	srv->has_pool = false;
}

static enum status
pool_start(struct http_server *srv, unsigned count, struct error *err)
{
	if (pthread_mutex_init(&srv->pool_lock, NULL) != 0)
		return error_set(err, STATUS_INTERNAL, "cannot create a mutex");
	if (pthread_cond_init(&srv->pool_wake, NULL) != 0) {
		pthread_mutex_destroy(&srv->pool_lock);
		return error_set(err, STATUS_INTERNAL,
		    "cannot create a condition variable");
	}
	srv->has_pool = true;
	if ((srv->workers = calloc(count, sizeof(*srv->workers))) == NULL) {
		pool_stop(srv);
		return error_set(err, STATUS_NO_MEMORY, "out of memory");
	}
	srv->worker_max = count;
	pthread_mutex_lock(&srv->pool_lock);
	if (!pool_spawn(srv)) {
		pthread_mutex_unlock(&srv->pool_lock);
		pool_stop(srv);
		return error_set(err, STATUS_INTERNAL,
		    "cannot start the request workers");
	}
	pthread_mutex_unlock(&srv->pool_lock);
	return STATUS_OK;
}

static void
request_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct request_state *rs = *con_cls;

	if (rs == NULL)
		return;
	if (rs->has_response)
		http_response_cleanup(&rs->resp);
	free(rs->query);
	body_free(rs->body);
	free(rs);
	*con_cls = NULL;
}

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = '\0';
	log_debug("http: %s", msg);
}

enum status
http_server_start(const struct http_server_config *cfg,
    http_handler_fn handler, void *arg, struct http_server **out,
    struct error *err)
{
	struct http_server	*srv = NULL;
	unsigned int		 flags = MHD_USE_EPOLL_INTERNAL_THREAD |
				    MHD_USE_ERROR_LOG | MHD_USE_TURBO |
				    MHD_ALLOW_SUSPEND_RESUME;
	size_t			 workers = cfg->threads > 0 ? cfg->threads : 2;
	int			*fds = NULL;
	size_t			 opened = 0;
	enum status		 st = STATUS_INTERNAL;

	if ((srv = calloc(1, sizeof(*srv))) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	srv->handler = handler;
	srv->may_block = cfg->may_block;
	srv->arg = arg;
	srv->max_body_bytes = cfg->max_body_bytes;

	if (cfg->tls_cert_file != NULL || cfg->tls_key_file != NULL) {
		if (cfg->tls_cert_file == NULL || cfg->tls_key_file == NULL) {
			st = error_set(err, STATUS_INVALID_PARAMETER,
			    "TLS needs both a certificate and a key file");
			goto out;
		}
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			st = error_set(err, STATUS_INTERNAL,
			    "this libmicrohttpd was built without TLS");
			goto out;
		}
		if ((srv->tls_cert = file_read_all(cfg->tls_cert_file, err)) ==
		    NULL || (srv->tls_key = file_read_all(cfg->tls_key_file,
		    err)) == NULL) {
			st = err != NULL ? err->status : STATUS_IO;
			goto out;
		}
		srv->is_tls = true;
		flags |= MHD_USE_TLS;
	}
	if ((fds = calloc(workers, sizeof(*fds))) == NULL ||
	    (srv->daemons = calloc(workers, sizeof(*srv->daemons))) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	if ((st = http_listen_sockets_open(cfg->host, cfg->port, workers, fds,
	    &srv->port, err)) != STATUS_OK)
		goto out;
	opened = workers;
	if (srv->may_block != NULL && cfg->blocking_threads > 0 &&
	    (st = pool_start(srv, cfg->blocking_threads, err)) != STATUS_OK)
		goto out;

	for (size_t i = 0; i < workers; i++) {
		/* Each daemon owns its socket from here on, and closes it. */
		srv->daemons[i] = MHD_start_daemon(flags, 0, NULL, NULL,
		    access_handler, srv,
		    MHD_OPTION_LISTEN_SOCKET, fds[i],
		    MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		    (size_t)cfg->max_header_bytes,
		    MHD_OPTION_CONNECTION_TIMEOUT,
		    (unsigned int)cfg->idle_timeout_seconds,
		    MHD_OPTION_CONNECTION_LIMIT,
		    (unsigned int)(4096 / workers > 64 ? 4096 / workers : 64),
		    MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
		    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
		    MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
		    srv->is_tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END,
		    srv->tls_key,
		    MHD_OPTION_HTTPS_MEM_CERT, srv->tls_cert,
		    MHD_OPTION_END);
		if (srv->daemons[i] == NULL) {
			st = error_set(err, STATUS_IO,
			    "cannot start serving on %s port %u (bad TLS "
			    "files?)", cfg->host, cfg->port);
			goto out;
		}
		srv->daemon_count++;
	}
	*out = srv;
	srv = NULL;
	st = STATUS_OK;
out:
	if (srv != NULL) {
		pool_stop(srv);
		for (size_t i = 0; i < srv->daemon_count; i++)
			MHD_stop_daemon(srv->daemons[i]);
		for (size_t i = srv->daemon_count; i < opened; i++)
			close(fds[i]);
		free(srv->daemons);
		free(srv->tls_cert);
		free(srv->tls_key);
		free(srv);
	}
	free(fds);
	return st;
}

uint16_t
http_server_port(const struct http_server *srv)
{
	return srv->port;
}

/*
 * The CPUs this process may run on: its affinity (taskset, a container's
 * cpuset), which may be far fewer than the machine has online; threads
 * sized to the machine would then take turns on the few.
 */
static unsigned
usable_cpus(void)
{
	cpu_set_t	 set;
	long		 cpus = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		cpus = CPU_COUNT(&set);
	if (cpus < 1)
		cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (cpus < 1)
		cpus = 1;
	if (cpus > 64)
		cpus = 64;
	return (unsigned)cpus;
}

/* One epoll thread per CPU: more only queue behind each other. */
unsigned
http_default_threads(void)
{
	return usable_cpus();
}

/*
 * Requests that wait for the disk run here, so a batch of writes can grow
 * while the CPUs serve reads.  Waiting threads cost no CPU; each one costs
 * a few KiB of stack, and starts only when requests need it.
 */
unsigned
http_default_blocking_threads(void)
{
	return usable_cpus() * 8;
}

void
http_server_stop(struct http_server *srv)
{
	if (srv == NULL)
		return;
	/* Every queued request runs and resumes its connection first: no
	 * worker may touch a connection libmicrohttpd has closed. */
	pool_stop(srv);
	for (size_t i = 0; i < srv->daemon_count; i++)
		MHD_stop_daemon(srv->daemons[i]);
	free(srv->daemons);
	if (srv->tls_key != NULL) {
		explicit_bzero(srv->tls_key, strlen(srv->tls_key));
		free(srv->tls_key);
	}
	free(srv->tls_cert);
	free(srv);
}

const char *
http_request_header(const struct http_request *req, const char *name)
{
	for (size_t i = 0; i < req->header_count; i++)
		if (strcasecmp(req->headers[i].name, name) == 0)
			return req->headers[i].value;
	return NULL;
}

void
http_response_add_header(struct http_response *resp, const char *name,
    const char *value)
{
	char *copy;

	if (resp->extra_count >= sizeof(resp->extra) / sizeof(resp->extra[0]))
		return;
	if ((copy = strdup(value)) == NULL)
		return;
	resp->extra[resp->extra_count].name = name;
	resp->extra[resp->extra_count].value = copy;
	resp->extra_count++;
}

void
http_response_cleanup(struct http_response *resp)
{
	body_free(resp->body);
	resp->body = NULL;
	for (size_t i = 0; i < resp->extra_count; i++)
		free((char *)resp->extra[i].value);
	resp->extra_count = 0;
}
