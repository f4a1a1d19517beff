/*
 * loadgen.c: the benchmark's load generator.
 *
 * Drives one HTTP/1.1 server over loopback with keep-alive connections and
 * SigV4-signed AWS JSON 1.1 requests, signed with the project's own
 * src/common/sigv4.c.  One thread, one epoll set, no pipelining: each
 * connection has at most one request in flight.
 *
 * Two ways of offering load:
 * - closed loop (the default): every connection sends its next request as
 *   soon as the previous answer is complete; the throughput is the server's;
 * - open loop (--rate R): requests are due at fixed intervals (R per second
 *   in all, spread over the connections) and a request's latency runs from
 *   the moment it was due, not from when it could be sent, so a stalled
 *   server is not hidden by a stalled generator (coordinated omission).
 *
 * Signing: the server accepts a signed request for 5 minutes (its clock
 * skew window), so read requests are signed once before the clock starts
 * and replayed; a run with pre-signed requests is therefore limited to
 * 240 seconds.  Requests that must differ every time (PutSecretValue needs
 * a fresh ClientRequestToken, CreateSecret a fresh name, ListSecrets the
 * previous page's NextToken) are built and signed when sent.
 *
 * Output: one JSON object on stdout (throughput, latency percentiles from
 * a log-linear histogram with under 1% error, status counts and, with
 * --server-pid, the server's CPU time and memory).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "common/sigv4.h"

#define LOADGEN_MAX_CONNECTIONS	4096
#define LOADGEN_PRESIGN_MAX_S	240
#define HIST_SUB_BITS		7
#define HIST_SUB		(1u << HIST_SUB_BITS)
#define HIST_BUCKETS		(HIST_SUB * 40)
#define NS_PER_S		1000000000ull

enum op {
	OP_GET,
	OP_DESCRIBE,
	OP_PUT,
	OP_CREATE,
	OP_LIST,
	OP_HEALTH,
	OP__COUNT
};

static const char *const op_target[OP__COUNT] = {
	[OP_GET] = "secretsmanager.GetSecretValue",
	[OP_DESCRIBE] = "secretsmanager.DescribeSecret",
	[OP_PUT] = "secretsmanager.PutSecretValue",
	[OP_CREATE] = "secretsmanager.CreateSecret",
	[OP_LIST] = "secretsmanager.ListSecrets",
	[OP_HEALTH] = NULL,
};

static const char *const op_name[OP__COUNT] = {
	[OP_GET] = "GetSecretValue",
	[OP_DESCRIBE] = "DescribeSecret",
	[OP_PUT] = "PutSecretValue",
	[OP_CREATE] = "CreateSecret",
	[OP_LIST] = "ListSecrets",
	[OP_HEALTH] = "health",
};

struct histogram {
	uint64_t	 counts[HIST_BUCKETS];
	uint64_t	 total;
	uint64_t	 max_ns;
	long double	 sum_ns;
};

struct buffer {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

/* A request ready to send: the whole HTTP message. */
struct wire_request {
	char	*data;
	size_t	 len;
};

struct options {
	const char	*host;
	int		 port;
	size_t		 connections;
	double		 duration_s;
	double		 warmup_s;
	double		 rate;
	const char	*scenario;
	size_t		 secrets;
	size_t		 hot_index;
	const char	*prefix;
	const char	*create_prefix;
	size_t		 count;
	size_t		 start;
	size_t		 page_size;
	const char	*credentials_file;
	const char	*profile;
	const char	*region;
	const char	*dump_request;
	int		 server_pid;
	size_t		 value_bytes;
	bool		 quiet;
};

struct credentials {
	char	access_key_id[128];
	char	secret_access_key[128];
};

/* Weights of each operation in the scenario, in percent. */
struct mix {
	unsigned	 weight[OP__COUNT];
	bool		 is_hot;	/* reads always name secret hot_index */
};

struct conn {
	int		 fd;
	bool		 is_busy;	/* a request is in flight */
	bool		 is_scheduled;	/* open loop: waiting for due_ns */
	enum op		 op;
	uint64_t	 start_ns;	/* latency runs from here */
	uint64_t	 due_ns;
	struct buffer	 out;		/* built request (dynamic ops) */
	const char	*send_data;
	size_t		 send_len;
	size_t		 send_off;
	struct buffer	 in;
	char		 next_token[256];	/* ListSecrets paging */
	size_t		 index;		/* for --count: the item it carries */
};

struct stats {
	struct histogram hist;
	struct histogram op_hist[OP__COUNT];
	uint64_t	 status_counts[600];
	uint64_t	 errors;	/* transport errors (closed, refused) */
	uint64_t	 responses;
	uint64_t	 bytes_in;
	size_t		 last_body_len;
	uint64_t	 list_pages_completed;	/* walks that reached the end */
};

static struct options opt = {
	.host = "127.0.0.1",
	.port = 0,
	.connections = 1,
	.duration_s = 5,
	.warmup_s = 1,
	.rate = 0,
	.scenario = "get-hot",
	.secrets = 1,
	.hot_index = 0,
	.prefix = "bench/",
	.create_prefix = NULL,
	.count = 0,
	.start = 0,
	.page_size = 100,
	.credentials_file = NULL,
	.profile = "sesame",
	.region = "us-east-1",
	.dump_request = NULL,
	.server_pid = 0,
	.value_bytes = 64,
	.quiet = false,
};

static struct credentials creds;
static struct mix mix;
static struct wire_request *get_requests, *describe_requests;
static struct wire_request health_request;
static char host_header[128];
static char run_id[17];
static char secret_value[4096];
static uint64_t dynamic_counter;
static size_t next_count_index;
static uint64_t rng_state;

static void __attribute__((format(printf, 1, 2), noreturn))
die(const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "loadgen: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* xorshift64*: fast, good enough to pick secrets uniformly. */
static uint64_t
rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static size_t
rng_below(size_t n)
{
	return n <= 1 ? 0 : (size_t)(rng_next() % n);
}

/* ---- histogram ---- */

static size_t
hist_index(uint64_t v)
{
	unsigned	 msb, shift;

	if (v < 2 * HIST_SUB)
		return (size_t)v;
	msb = 63u - (unsigned)__builtin_clzll(v);
	shift = msb - HIST_SUB_BITS;
	if ((size_t)shift * HIST_SUB + (v >> shift) >= HIST_BUCKETS)
		return HIST_BUCKETS - 1;
	return (size_t)shift * HIST_SUB + (size_t)(v >> shift);
}

/* The middle of bucket i. */
static uint64_t
hist_value(size_t i)
{
	size_t	 shift;

	if (i < 2 * HIST_SUB)
		return i;
	shift = i / HIST_SUB - 1;
	return ((uint64_t)(i - shift * HIST_SUB) << shift) +
	    ((1ull << shift) >> 1);
}

static void
hist_record(struct histogram *h, uint64_t v)
{
	h->counts[hist_index(v)]++;
	h->total++;
	h->sum_ns += v;
	if (v > h->max_ns)
		h->max_ns = v;
}

static uint64_t
hist_percentile(const struct histogram *h, double p)
{
	uint64_t	 want, seen = 0;

	if (h->total == 0)
		return 0;
	want = (uint64_t)((long double)h->total * p / 100.0L);
	if (want >= h->total)
		want = h->total - 1;
	for (size_t i = 0; i < HIST_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen > want) {
			uint64_t v = hist_value(i);

			return v > h->max_ns ? h->max_ns : v;
		}
	}
	return h->max_ns;
}

/* ---- buffers ---- */

static void
buffer_reserve(struct buffer *b, size_t extra)
{
	size_t	 ncap;
	char	*n;

	if (b->len + extra <= b->cap)
		return;
	ncap = b->cap ? b->cap : 4096;
	while (ncap < b->len + extra)
		ncap *= 2;
	if ((n = realloc(b->data, ncap)) == NULL)
		die("out of memory");
	b->data = n;
	b->cap = ncap;
}

static void
buffer_append(struct buffer *b, const void *data, size_t len)
{
	buffer_reserve(b, len + 1);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}

/* ---- credentials ---- */

static char *
trim(char *s)
{
	char	*e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static void
credentials_load(const char *path, const char *profile)
{
	FILE	*f;
	char	 line[512], section[128] = "";
	bool	 in_profile = false;

	if ((f = fopen(path, "r")) == NULL)
		die("cannot open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		char	*s = trim(line), *eq;

		if (*s == '[') {
			char *end = strchr(s, ']');

			if (end != NULL)
				*end = '\0';
			snprintf(section, sizeof(section), "%s", trim(s + 1));
			in_profile = strcmp(section, profile) == 0;
			continue;
		}
		if (!in_profile || (eq = strchr(s, '=')) == NULL)
			continue;
		*eq = '\0';
		if (strcmp(trim(s), "aws_access_key_id") == 0)
			snprintf(creds.access_key_id, sizeof(creds.access_key_id),
			    "%s", trim(eq + 1));
		else if (strcmp(trim(s), "aws_secret_access_key") == 0)
			snprintf(creds.secret_access_key,
			    sizeof(creds.secret_access_key), "%s", trim(eq + 1));
	}
	fclose(f);
	if (creds.access_key_id[0] == '\0' || creds.secret_access_key[0] == '\0')
		die("no key pair for profile %s in %s", profile, path);
}

/* ---- requests ---- */

static void
amz_date_now(char out[17])
{
	time_t		 t = time(NULL);
	struct tm	 tm;

	gmtime_r(&t, &tm);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tm);
}

/* Build and sign one POST; the whole message replaces b's contents. */
static void
request_build(struct buffer *b, enum op op, const char *body)
{
	struct sigv4_header	 headers[4];
	struct sigv4_request	 req;
	char			 amz_date[17], head[512], *authorization = NULL;
	size_t			 body_len = strlen(body);
	int			 n;

	b->len = 0;
	if (op == OP_HEALTH) {
		n = snprintf(head, sizeof(head), "GET /health HTTP/1.1\r\n"
		    "Host: %s\r\nUser-Agent: sesame-loadgen/1\r\n\r\n",
		    host_header);
		buffer_append(b, head, (size_t)n);
		return;
	}
	amz_date_now(amz_date);
	headers[0].name = "Content-Type";
	headers[0].value = "application/x-amz-json-1.1";
	headers[1].name = "Host";
	headers[1].value = host_header;
	headers[2].name = "X-Amz-Date";
	headers[2].value = amz_date;
	headers[3].name = "X-Amz-Target";
	headers[3].value = op_target[op];
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.path = "/";
	req.query = NULL;
	req.headers = headers;
	req.header_count = 4;
	req.body = (const unsigned char *)body;
	req.body_len = body_len;
	if (sigv4_sign(&req, creds.access_key_id, creds.secret_access_key,
	    opt.region, "secretsmanager", amz_date,
	    "content-type;host;x-amz-date;x-amz-target", &authorization) !=
	    STATUS_OK)
		die("signing failed");
	n = snprintf(head, sizeof(head), "POST / HTTP/1.1\r\n"
	    "Host: %s\r\n"
	    "Content-Type: application/x-amz-json-1.1\r\n"
	    "X-Amz-Target: %s\r\n"
	    "X-Amz-Date: %s\r\n"
	    "User-Agent: sesame-loadgen/1\r\n"
	    "Content-Length: %zu\r\n"
	    "Authorization: ", host_header, op_target[op], amz_date, body_len);
	if (n < 0 || (size_t)n >= sizeof(head))
		die("request head too long");
	buffer_append(b, head, (size_t)n);
	buffer_append(b, authorization, strlen(authorization));
	buffer_append(b, "\r\n\r\n", 4);
	buffer_append(b, body, body_len);
	free(authorization);
}

static void
secret_name(size_t i, char *out, size_t out_len)
{
	snprintf(out, out_len, "%s%06zu", opt.prefix, i);
}

/* A ClientRequestToken (32 to 64 characters), unique to this run. */
static void
token_make(char out[65])
{
	snprintf(out, 65, "bench-%s-%020" PRIu64, run_id, ++dynamic_counter);
}

static void
body_for(enum op op, size_t index, const char *next_token, struct buffer *b)
{
	char	 name[512], token[65];
	int	 n;

	b->len = 0;
	buffer_reserve(b, sizeof(secret_value) + 1024);
	switch (op) {
	case OP_GET:
	case OP_DESCRIBE:
		secret_name(index, name, sizeof(name));
		n = snprintf(b->data, b->cap, "{\"SecretId\":\"%s\"}", name);
		break;
	case OP_PUT:
		secret_name(index, name, sizeof(name));
		token_make(token);
		n = snprintf(b->data, b->cap, "{\"SecretId\":\"%s\","
		    "\"ClientRequestToken\":\"%s\",\"SecretString\":\"%s\"}",
		    name, token, secret_value);
		break;
	case OP_CREATE:
		if (opt.create_prefix != NULL)
			snprintf(name, sizeof(name), "%s%s-%010" PRIu64,
			    opt.create_prefix, run_id, ++dynamic_counter);
		else
			secret_name(index, name, sizeof(name));
		token_make(token);
		n = snprintf(b->data, b->cap, "{\"Name\":\"%s\","
		    "\"ClientRequestToken\":\"%s\",\"SecretString\":\"%s\"}",
		    name, token, secret_value);
		break;
	case OP_LIST:
		if (next_token != NULL && next_token[0] != '\0')
			n = snprintf(b->data, b->cap, "{\"MaxResults\":%zu,"
			    "\"NextToken\":\"%s\"}", opt.page_size, next_token);
		else
			n = snprintf(b->data, b->cap, "{\"MaxResults\":%zu}",
			    opt.page_size);
		break;
	default:
		n = 0;
		break;
	}
	if (n < 0 || (size_t)n >= b->cap)
		die("request body too long");
	b->len = (size_t)n;
}

static void
wire_request_make(struct wire_request *w, enum op op, size_t index)
{
	struct buffer	 body = { 0 }, msg = { 0 };

	if (op != OP_HEALTH)
		body_for(op, index, NULL, &body);
	request_build(&msg, op, op == OP_HEALTH ? "" : body.data);
	w->data = msg.data;
	w->len = msg.len;
	free(body.data);
}

/* A JSON string of n printable characters, as a secret value. */
static void
secret_value_init(size_t n)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	char	 password[2048];
	size_t	 len;

	/* The value is {"username":"bench","password":"..."}: 34 + len. */
	if (n < 40)
		n = 40;
	if (n > sizeof(password) + 33)
		n = sizeof(password) + 33;
	len = n - 34;
	for (size_t i = 0; i < len; i++)
		password[i] = alphabet[rng_below(sizeof(alphabet) - 1)];
	password[len] = '\0';
	snprintf(secret_value, sizeof(secret_value),
	    "{\\\"username\\\":\\\"bench\\\",\\\"password\\\":\\\"%s\\\"}",
	    password);
}

/* ---- scenarios ---- */

static void
mix_init(const char *scenario)
{
	memset(&mix, 0, sizeof(mix));
	if (strcmp(scenario, "get-hot") == 0) {
		mix.weight[OP_GET] = 100;
		mix.is_hot = true;
	} else if (strcmp(scenario, "get-uniform") == 0)
		mix.weight[OP_GET] = 100;
	else if (strcmp(scenario, "describe") == 0)
		mix.weight[OP_DESCRIBE] = 100;
	else if (strcmp(scenario, "put") == 0)
		mix.weight[OP_PUT] = 100;
	else if (strcmp(scenario, "create") == 0)
		mix.weight[OP_CREATE] = 100;
	else if (strcmp(scenario, "list") == 0)
		mix.weight[OP_LIST] = 100;
	else if (strcmp(scenario, "health") == 0)
		mix.weight[OP_HEALTH] = 100;
	else if (strcmp(scenario, "mixed") == 0) {
		/* Read-mostly: what an application fleet with caches does. */
		mix.weight[OP_GET] = 90;
		mix.weight[OP_DESCRIBE] = 8;
		mix.weight[OP_PUT] = 2;
	} else
		die("unknown scenario %s", scenario);
}

static enum op
mix_pick(void)
{
	unsigned	 r = (unsigned)rng_below(100), acc = 0;

	for (int op = 0; op < OP__COUNT; op++) {
		acc += mix.weight[op];
		if (r < acc)
			return (enum op)op;
	}
	return OP_GET;
}

static void
presign(void)
{
	size_t	 n = mix.is_hot ? opt.hot_index + 1 : opt.secrets;

	if (mix.weight[OP_GET] > 0) {
		if ((get_requests = calloc(n, sizeof(*get_requests))) == NULL)
			die("out of memory");
		for (size_t i = mix.is_hot ? opt.hot_index : 0; i < n; i++)
			wire_request_make(&get_requests[i], OP_GET, i);
	}
	if (mix.weight[OP_DESCRIBE] > 0) {
		if ((describe_requests = calloc(n,
		    sizeof(*describe_requests))) == NULL)
			die("out of memory");
		for (size_t i = mix.is_hot ? opt.hot_index : 0; i < n; i++)
			wire_request_make(&describe_requests[i], OP_DESCRIBE, i);
	}
	if (mix.weight[OP_HEALTH] > 0)
		wire_request_make(&health_request, OP_HEALTH, 0);
}

static size_t
pick_secret(void)
{
	return mix.is_hot ? opt.hot_index : rng_below(opt.secrets);
}

/* Choose and stage the connection's next request. */
static void
conn_prepare(struct conn *c)
{
	const struct wire_request *w = NULL;
	struct buffer	 body = { 0 };
	size_t		 index;

	c->op = mix_pick();
	if (opt.count > 0) {
		c->index = opt.start + next_count_index++;
		index = c->index;
	} else
		index = pick_secret();
	switch (c->op) {
	case OP_GET:
		if (opt.count == 0)
			w = &get_requests[index];
		break;
	case OP_DESCRIBE:
		if (opt.count == 0)
			w = &describe_requests[index];
		break;
	case OP_HEALTH:
		w = &health_request;
		break;
	default:
		break;
	}
	if (w != NULL) {
		c->send_data = w->data;
		c->send_len = w->len;
	} else {
		body_for(c->op, index, c->next_token, &body);
		request_build(&c->out, c->op, body.data);
		free(body.data);
		c->send_data = c->out.data;
		c->send_len = c->out.len;
	}
	c->send_off = 0;
}

/* ---- connections ---- */

static struct conn *conns;
static int epfd = -1, timerfd = -1;
static struct sockaddr_in server_addr;
static struct stats stats;
static uint64_t measure_start_ns, measure_end_ns;
static bool stopping;
static unsigned unexpected_printed;

static void
conn_open(struct conn *c)
{
	int	 one = 1, fd;
	struct epoll_event ev;

	if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		die("socket: %s", strerror(errno));
	if (connect(fd, (struct sockaddr *)&server_addr,
	    sizeof(server_addr)) != 0)
		die("connect to %s:%d: %s", opt.host, opt.port, strerror(errno));
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN;
	ev.data.ptr = c;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
		die("epoll_ctl: %s", strerror(errno));
	c->fd = fd;
	c->in.len = 0;
}

static void
conn_close(struct conn *c)
{
	if (c->fd >= 0) {
		epoll_ctl(epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	c->fd = -1;
}

static void
conn_want_write(struct conn *c, bool want)
{
	struct epoll_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | (want ? EPOLLOUT : 0);
	ev.data.ptr = c;
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void
conn_flush(struct conn *c)
{
	while (c->send_off < c->send_len) {
		ssize_t n = send(c->fd, c->send_data + c->send_off,
		    c->send_len - c->send_off, MSG_NOSIGNAL);

		if (n > 0) {
			c->send_off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			conn_want_write(c, true);
			return;
		}
		return;		/* the read side will see the close */
	}
}

static void
conn_send(struct conn *c, uint64_t start_ns)
{
	if (c->fd < 0)
		conn_open(c);
	c->is_busy = true;
	c->is_scheduled = false;
	c->start_ns = start_ns;
	conn_flush(c);
}

static bool
all_done(void)
{
	return opt.count > 0 && next_count_index >= opt.count;
}

static void
conn_next(struct conn *c, uint64_t now)
{
	if (stopping || all_done()) {
		c->is_busy = false;
		return;
	}
	conn_prepare(c);
	if (opt.rate > 0) {
		double interval_ns = (double)opt.connections / opt.rate *
		    (double)NS_PER_S;

		c->due_ns += (uint64_t)interval_ns;
		if (c->due_ns <= now)
			conn_send(c, c->due_ns);	/* late: latency from due */
		else {
			c->is_busy = false;
			c->is_scheduled = true;
		}
	} else
		conn_send(c, now);
}

/* Header lookup in a response head (NUL-terminated copy not needed). */
static const char *
head_find(const char *head, size_t head_len, const char *name)
{
	size_t	 name_len = strlen(name);

	for (const char *p = head; p + name_len + 1 < head + head_len; p++) {
		if ((p == head || p[-1] == '\n') &&
		    strncasecmp(p, name, name_len) == 0 && p[name_len] == ':')
			return p + name_len + 1;
	}
	return NULL;
}

static void
list_token_take(struct conn *c, const char *body, size_t body_len)
{
	static const char key[] = "\"NextToken\":\"";
	const char	*p, *end;

	c->next_token[0] = '\0';
	p = memmem(body, body_len, key, sizeof(key) - 1);
	if (p == NULL) {
		stats.list_pages_completed++;
		return;
	}
	p += sizeof(key) - 1;
	end = memchr(p, '"', body_len - (size_t)(p - body));
	if (end == NULL || (size_t)(end - p) >= sizeof(c->next_token))
		return;
	memcpy(c->next_token, p, (size_t)(end - p));
	c->next_token[end - p] = '\0';
}

/* Parse complete responses out of c->in; true when one was consumed. */
static bool
conn_take_response(struct conn *c, uint64_t now)
{
	const char	*head_end, *cl;
	size_t		 head_len, body_len = 0, total;
	int		 status;
	bool		 closes;

	if (c->in.len < 12)
		return false;
	head_end = memmem(c->in.data, c->in.len, "\r\n\r\n", 4);
	if (head_end == NULL)
		return false;
	head_len = (size_t)(head_end - c->in.data) + 4;
	if ((cl = head_find(c->in.data, head_len, "Content-Length")) != NULL)
		body_len = strtoull(cl, NULL, 10);
	total = head_len + body_len;
	if (c->in.len < total)
		return false;
	status = (int)strtol(c->in.data + 9, NULL, 10);
	if (status < 0 || status >= 600)
		status = 0;
	closes = (cl = head_find(c->in.data, head_len, "Connection")) != NULL &&
	    strncasecmp(cl + strspn(cl, " "), "close", 5) == 0;
	if (c->op == OP_LIST)
		list_token_take(c, c->in.data + head_len, body_len);
	if (!c->is_busy)
		die("a response arrived with no request in flight");
	if (c->start_ns >= measure_start_ns && now <= measure_end_ns) {
		uint64_t lat = now - c->start_ns;

		hist_record(&stats.hist, lat);
		hist_record(&stats.op_hist[c->op], lat);
		stats.status_counts[status]++;
		stats.responses++;
		stats.bytes_in += total;
	}
	if (status != 200 && !opt.quiet && unexpected_printed < 3) {
		unexpected_printed++;
		fprintf(stderr, "loadgen: %s answered %d: %.*s\n",
		    op_name[c->op], status, (int)(body_len > 300 ? 300 : body_len),
		    c->in.data + head_len);
	}
	stats.last_body_len = body_len;
	memmove(c->in.data, c->in.data + total, c->in.len - total);
	c->in.len -= total;
	c->is_busy = false;
	if (closes)
		conn_close(c);
	return true;
}

static void
conn_readable(struct conn *c, uint64_t now)
{
	for (;;) {
		ssize_t	 n;

		buffer_reserve(&c->in, 65536);
		n = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len - 1,
		    0);
		if (n > 0) {
			c->in.len += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		/* Closed or reset: count the lost request and reconnect. */
		if (c->is_busy) {
			stats.errors++;
			c->is_busy = false;
			if (opt.count > 0)
				die("the server closed a connection mid-request");
		}
		conn_close(c);
		conn_next(c, now);
		return;
	}
	if (conn_take_response(c, now)) {
		if (c->fd >= 0 && c->in.len > 0)
			die("the server sent more than one response");
		conn_next(c, now);
	}
}

static void
timer_arm(uint64_t now)
{
	struct itimerspec its;
	uint64_t	 next = UINT64_MAX;

	for (size_t i = 0; i < opt.connections; i++)
		if (conns[i].is_scheduled && conns[i].due_ns < next)
			next = conns[i].due_ns;
	if (opt.count == 0 && measure_end_ns < next)
		next = measure_end_ns;
	memset(&its, 0, sizeof(its));
	if (next != UINT64_MAX) {
		if (next <= now)
			next = now + 1;
		its.it_value.tv_sec = (time_t)(next / NS_PER_S);
		its.it_value.tv_nsec = (long)(next % NS_PER_S);
	}
	timerfd_settime(timerfd, TFD_TIMER_ABSTIME, &its, NULL);
}

static void
timer_fire(uint64_t now)
{
	for (size_t i = 0; i < opt.connections; i++)
		if (conns[i].is_scheduled && conns[i].due_ns <= now)
			conn_send(&conns[i], conns[i].due_ns);
}

/* ---- the server's CPU and memory ---- */

struct process_sample {
	double	 cpu_s;
	long	 rss_kib;
	long	 hwm_kib;
	long	 threads;
};

static bool
process_sample_take(int pid, struct process_sample *out)
{
	char	 path[64], buf[4096], *p;
	FILE	*f;
	unsigned long long utime = 0, stime = 0;
	size_t	 n;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* Fields after the command name, which may hold spaces. */
	if ((p = strrchr(buf, ')')) == NULL)
		return false;
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
	    &utime, &stime) != 2)
		return false;
	out->cpu_s = (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if ((f = fopen(path, "r")) == NULL)
		return false;
	while (fgets(buf, sizeof(buf), f) != NULL) {
		if (strncmp(buf, "VmRSS:", 6) == 0)
			out->rss_kib = strtol(buf + 6, NULL, 10);
		else if (strncmp(buf, "VmHWM:", 6) == 0)
			out->hwm_kib = strtol(buf + 6, NULL, 10);
		else if (strncmp(buf, "Threads:", 8) == 0)
			out->threads = strtol(buf + 8, NULL, 10);
	}
	fclose(f);
	return true;
}

/* ---- output ---- */

static void
print_latency(const char *key, const struct histogram *h)
{
	printf("\"%s\":{\"count\":%" PRIu64 ",\"mean_us\":%.1f,"
	    "\"p50_us\":%.1f,\"p90_us\":%.1f,\"p99_us\":%.1f,"
	    "\"p999_us\":%.1f,\"max_us\":%.1f}", key, h->total,
	    h->total ? (double)(h->sum_ns / h->total) / 1e3 : 0.0,
	    (double)hist_percentile(h, 50) / 1e3,
	    (double)hist_percentile(h, 90) / 1e3,
	    (double)hist_percentile(h, 99) / 1e3,
	    (double)hist_percentile(h, 99.9) / 1e3, (double)h->max_ns / 1e3);
}

static void
print_result(double elapsed_s, const struct process_sample *before,
    const struct process_sample *after, const struct rusage *self)
{
	uint64_t ok = stats.status_counts[200];
	bool	 first = true;

	printf("{\"scenario\":\"%s\",\"connections\":%zu,\"rate_target\":%.1f,"
	    "\"secrets\":%zu,\"duration_s\":%.3f,\"requests\":%" PRIu64 ","
	    "\"ok\":%" PRIu64 ",\"errors\":%" PRIu64 ",\"rps\":%.1f,"
	    "\"ok_rps\":%.1f,\"bytes_in\":%" PRIu64 ",\"response_body_len\":%zu,"
	    "\"list_walks_completed\":%" PRIu64 ",",
	    opt.scenario, opt.connections, opt.rate, opt.secrets, elapsed_s,
	    stats.responses, ok, stats.errors + (stats.responses - ok),
	    elapsed_s > 0 ? (double)stats.responses / elapsed_s : 0.0,
	    elapsed_s > 0 ? (double)ok / elapsed_s : 0.0, stats.bytes_in,
	    stats.last_body_len, stats.list_pages_completed);
	printf("\"status_counts\":{");
	for (int i = 0; i < 600; i++) {
		if (stats.status_counts[i] == 0)
			continue;
		printf("%s\"%d\":%" PRIu64, first ? "" : ",", i,
		    stats.status_counts[i]);
		first = false;
	}
	printf("},");
	print_latency("latency", &stats.hist);
	printf(",\"by_operation\":{");
	first = true;
	for (int op = 0; op < OP__COUNT; op++) {
		if (stats.op_hist[op].total == 0)
			continue;
		if (!first)
			printf(",");
		print_latency(op_name[op], &stats.op_hist[op]);
		first = false;
	}
	printf("},\"loadgen_cpu_s\":%.3f",
	    (double)self->ru_utime.tv_sec + self->ru_utime.tv_usec / 1e6 +
	    (double)self->ru_stime.tv_sec + self->ru_stime.tv_usec / 1e6);
	if (before != NULL && after != NULL) {
		double cpu = after->cpu_s - before->cpu_s;

		printf(",\"server\":{\"cpu_s\":%.3f,\"cpu_us_per_request\":%.2f,"
		    "\"cpu_utilisation\":%.3f,\"rss_kib\":%ld,\"hwm_kib\":%ld,"
		    "\"threads\":%ld}", cpu,
		    stats.responses ? cpu * 1e6 / (double)stats.responses : 0.0,
		    elapsed_s > 0 ? cpu / elapsed_s : 0.0, after->rss_kib,
		    after->hwm_kib, after->threads);
	}
	printf("}\n");
	fflush(stdout);
}

/* ---- main ---- */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: loadgen --port N --credentials FILE [options]\n"
	    "  --host ADDR            IPv4 address (127.0.0.1)\n"
	    "  --scenario NAME        get-hot get-uniform describe put create list\n"
	    "                         mixed health (get-hot)\n"
	    "  --connections N        keep-alive connections (1)\n"
	    "  --duration S           measured seconds (5)\n"
	    "  --warmup S             unmeasured seconds first (1)\n"
	    "  --rate R               open loop: R requests/s in all (closed loop)\n"
	    "  --secrets N            reads and writes pick uniformly among N (1)\n"
	    "  --hot-index I          get-hot reads secret I (0)\n"
	    "  --prefix P             secret names are P%%06d (bench/)\n"
	    "  --create-prefix P      create: unique names under P, not P%%06d\n"
	    "  --count N              send exactly N requests (items start..start+N)\n"
	    "  --start I              first item for --count (0)\n"
	    "  --page-size N          ListSecrets MaxResults (100)\n"
	    "  --value-bytes N        size of the SecretString written (64)\n"
	    "  --profile NAME         credentials profile (sesame)\n"
	    "  --region R             (us-east-1)\n"
	    "  --server-pid PID       report the server's CPU time and memory\n"
	    "  --dump-request FILE    write the scenario's first request and exit\n"
	    "  --quiet                do not print unexpected answers\n");
	exit(2);
}

static double
parse_double(const char *s, const char *what)
{
	char	*end;
	double	 v = strtod(s, &end);

	if (*s == '\0' || *end != '\0' || v < 0)
		die("bad %s: %s", what, s);
	return v;
}

static size_t
parse_size(const char *s, const char *what)
{
	char		*end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0)
		die("bad %s: %s", what, s);
	return (size_t)v;
}

static void
options_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "host", required_argument, NULL, 'h' },
		{ "port", required_argument, NULL, 'p' },
		{ "connections", required_argument, NULL, 'c' },
		{ "duration", required_argument, NULL, 'd' },
		{ "warmup", required_argument, NULL, 'w' },
		{ "rate", required_argument, NULL, 'r' },
		{ "scenario", required_argument, NULL, 's' },
		{ "secrets", required_argument, NULL, 'n' },
		{ "hot-index", required_argument, NULL, 'i' },
		{ "prefix", required_argument, NULL, 'P' },
		{ "create-prefix", required_argument, NULL, 'C' },
		{ "count", required_argument, NULL, 'k' },
		{ "start", required_argument, NULL, 'S' },
		{ "page-size", required_argument, NULL, 'g' },
		{ "value-bytes", required_argument, NULL, 'v' },
		{ "credentials", required_argument, NULL, 'f' },
		{ "profile", required_argument, NULL, 'F' },
		{ "region", required_argument, NULL, 'R' },
		{ "server-pid", required_argument, NULL, 'x' },
		{ "dump-request", required_argument, NULL, 'D' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	int	 ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h': opt.host = optarg; break;
		case 'p': opt.port = (int)parse_size(optarg, "port"); break;
		case 'c':
			opt.connections = parse_size(optarg, "connections");
			break;
		case 'd': opt.duration_s = parse_double(optarg, "duration"); break;
		case 'w': opt.warmup_s = parse_double(optarg, "warmup"); break;
		case 'r': opt.rate = parse_double(optarg, "rate"); break;
		case 's': opt.scenario = optarg; break;
		case 'n': opt.secrets = parse_size(optarg, "secrets"); break;
		case 'i': opt.hot_index = parse_size(optarg, "hot index"); break;
		case 'P': opt.prefix = optarg; break;
		case 'C': opt.create_prefix = optarg; break;
		case 'k': opt.count = parse_size(optarg, "count"); break;
		case 'S': opt.start = parse_size(optarg, "start"); break;
		case 'g': opt.page_size = parse_size(optarg, "page size"); break;
		case 'v':
			opt.value_bytes = parse_size(optarg, "value bytes");
			break;
		case 'f': opt.credentials_file = optarg; break;
		case 'F': opt.profile = optarg; break;
		case 'R': opt.region = optarg; break;
		case 'x': opt.server_pid = (int)parse_size(optarg, "pid"); break;
		case 'D': opt.dump_request = optarg; break;
		case 'q': opt.quiet = true; break;
		default: usage();
		}
	}
	if (optind != argc || opt.port <= 0 || opt.port > 65535)
		usage();
	if (opt.connections < 1 || opt.connections > LOADGEN_MAX_CONNECTIONS)
		die("connections must be 1 to %d", LOADGEN_MAX_CONNECTIONS);
	if (opt.secrets < 1)
		die("secrets must be at least 1");
	if (opt.count == 0 && opt.warmup_s + opt.duration_s >
	    LOADGEN_PRESIGN_MAX_S)
		die("warmup + duration must stay under %d s: pre-signed requests "
		    "expire after the server's 300 s clock skew window",
		    LOADGEN_PRESIGN_MAX_S);
}

int
main(int argc, char **argv)
{
	struct process_sample	 before, after;
	struct epoll_event	 events[256];
	struct rusage		 self;
	unsigned char		 seed[16];
	uint64_t		 start_ns, now;
	bool			 have_before = false;

	options_parse(argc, argv);
	mix_init(opt.scenario);
	if (RAND_bytes(seed, sizeof(seed)) != 1)
		die("no randomness");
	memcpy(&rng_state, seed, sizeof(rng_state));
	rng_state |= 1;
	for (int i = 0; i < 8; i++)
		snprintf(run_id + 2 * i, 3, "%02x", seed[8 + i]);
	snprintf(host_header, sizeof(host_header), "%s:%d", opt.host, opt.port);
	secret_value_init(opt.value_bytes);
	if (mix.weight[OP_HEALTH] != 100) {
		if (opt.credentials_file == NULL)
			die("--credentials is required");
		credentials_load(opt.credentials_file, opt.profile);
	}
	if (opt.count > 0 && mix.is_hot)
		die("--count does not apply to get-hot");

	if (opt.dump_request != NULL) {
		struct conn	 c;
		FILE		*f;

		memset(&c, 0, sizeof(c));
		if (opt.count == 0)
			presign();
		conn_prepare(&c);
		if ((f = fopen(opt.dump_request, "wb")) == NULL ||
		    fwrite(c.send_data, 1, c.send_len, f) != c.send_len ||
		    fclose(f) != 0)
			die("cannot write %s", opt.dump_request);
		return 0;
	}

	memset(&server_addr, 0, sizeof(server_addr));
	server_addr.sin_family = AF_INET;
	server_addr.sin_port = htons((uint16_t)opt.port);
	if (inet_pton(AF_INET, opt.host, &server_addr.sin_addr) != 1)
		die("bad host %s (numeric IPv4 only)", opt.host);
	if (opt.count == 0)
		presign();
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    (timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK |
	    TFD_CLOEXEC)) < 0)
		die("epoll: %s", strerror(errno));
	{
		struct epoll_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.events = EPOLLIN;
		ev.data.ptr = NULL;
		epoll_ctl(epfd, EPOLL_CTL_ADD, timerfd, &ev);
	}
	if ((conns = calloc(opt.connections, sizeof(*conns))) == NULL)
		die("out of memory");
	for (size_t i = 0; i < opt.connections; i++) {
		conns[i].fd = -1;
		conn_open(&conns[i]);
	}

	start_ns = now_ns();
	if (opt.count > 0) {
		measure_start_ns = start_ns;
		measure_end_ns = UINT64_MAX;
	} else {
		measure_start_ns = start_ns + (uint64_t)(opt.warmup_s * 1e9);
		measure_end_ns = measure_start_ns +
		    (uint64_t)(opt.duration_s * 1e9);
	}
	for (size_t i = 0; i < opt.connections && !all_done(); i++) {
		struct conn *c = &conns[i];

		if (opt.rate > 0) {
			/* Stagger the connections over one interval. */
			double interval = (double)opt.connections / opt.rate *
			    1e9;

			conn_prepare(c);
			c->due_ns = start_ns + (uint64_t)(interval *
			    (double)i / (double)opt.connections);
			c->is_scheduled = true;
		} else {
			conn_prepare(c);
			conn_send(c, start_ns);
		}
	}

	for (;;) {
		int	 n;

		now = now_ns();
		if (!have_before && now >= measure_start_ns &&
		    opt.server_pid > 0)
			have_before = process_sample_take(opt.server_pid,
			    &before);
		if (opt.count == 0 && now >= measure_end_ns)
			break;
		if (opt.count > 0) {
			bool busy = false;

			for (size_t i = 0; i < opt.connections; i++)
				busy = busy || conns[i].is_busy;
			if (all_done() && !busy)
				break;
		}
		if (opt.rate > 0 || opt.count == 0)
			timer_arm(now);
		n = epoll_wait(epfd, events, 256, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait: %s", strerror(errno));
		}
		now = now_ns();
		for (int i = 0; i < n; i++) {
			struct conn *c = events[i].data.ptr;

			if (c == NULL) {
				uint64_t expirations;

				if (read(timerfd, &expirations,
				    sizeof(expirations)) < 0 && errno != EAGAIN)
					die("timerfd: %s", strerror(errno));
				timer_fire(now);
				continue;
			}
			if (c->fd < 0)
				continue;
			if (events[i].events & EPOLLOUT) {
				conn_flush(c);
				if (c->send_off >= c->send_len)
					conn_want_write(c, false);
			}
			if (events[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP))
				conn_readable(c, now);
		}
	}
	stopping = true;
	now = now_ns();
	if (opt.server_pid > 0)
		process_sample_take(opt.server_pid, &after);
	getrusage(RUSAGE_SELF, &self);
	print_result(opt.count > 0 ? (double)(now - start_ns) / 1e9 :
	    opt.duration_s, have_before ? &before : NULL,
	    have_before ? &after : NULL, &self);
	return 0;
}
