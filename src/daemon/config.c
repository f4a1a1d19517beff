/*
 * config.c: the option table and its parsers.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/config.h"
#include "http/http.h"

#define OPT(name, type, field, def, min, max, help) \
	{ name, type, offsetof(struct config, field), def, min, max, help }

const struct config_option config_options[] = {
	OPT("data-dir", CONFIG_STRING, data_dir, "./sesame-data", 0, 0,
	    "folder holding the database, root key and audit log"),
	OPT("listen", CONFIG_STRING, listen, "127.0.0.1:8080", 0, 0,
	    "address:port to serve on ([::1]:port for IPv6)"),
	OPT("tls-cert", CONFIG_STRING, tls_cert_file, NULL, 0, 0,
	    "PEM certificate chain; serve HTTPS"),
	OPT("tls-key", CONFIG_STRING, tls_key_file, NULL, 0, 0,
	    "PEM private key for --tls-cert"),
	OPT("root-key-file", CONFIG_STRING, root_key_file, NULL, 0, 0,
	    "root key file (64 hex chars, mode 0600); default DATA_DIR/root.key;"
	    " SESAME_ROOT_KEY in the environment takes precedence"),
	OPT("root-key-source", CONFIG_STRING, root_key_source, "auto", 0, 0,
	    "where the root key comes from: file (root-key-file), env "
	    "(SESAME_ROOT_KEY), pkcs11 (a token decrypts "
	    "pkcs11-wrapped-key-file) or auto (env when set, else file)"),
	OPT("pkcs11-module", CONFIG_STRING, pkcs11_module,
	    "/usr/lib/softhsm/libsofthsm2.so", 0, 0,
	    "PKCS#11 module of the token holding the root key's wrapping key"),
	OPT("pkcs11-token-label", CONFIG_STRING, pkcs11_token_label, NULL, 0, 0,
	    "label of that token (default: the first token present)"),
	OPT("pkcs11-key-label", CONFIG_STRING, pkcs11_key_label, "sesame-root",
	    0, 0, "label of the AES key in the token"),
	OPT("pkcs11-pin-file", CONFIG_STRING, pkcs11_pin_file, NULL, 0, 0,
	    "file holding the token's user PIN (mode 0600); default: "
	    "SESAME_PKCS11_PIN in the environment"),
	OPT("pkcs11-wrapped-key-file", CONFIG_STRING, pkcs11_wrapped_key_file,
	    NULL, 0, 0, "the root key encrypted by the token; default "
	    "DATA_DIR/root.key.p11"),
	OPT("audit-dir", CONFIG_STRING, audit_dir, NULL, 0, 0,
	    "audit log folder; default DATA_DIR/audit"),
	OPT("audit-on-failure", CONFIG_STRING, audit_on_failure, "deny", 0, 0,
	    "when an audit event cannot be written: deny (fail the request) "
	    "or allow (answer anyway; the loss is logged and counted)"),
	OPT("audit-file-max-bytes", CONFIG_INTEGER, audit_file_max_bytes,
	    "67108864", 4096, 1099511627776LL,
	    "start a new audit file (signing the old one) past this size"),
	OPT("audit-rotate-seconds", CONFIG_INTEGER, audit_rotate_seconds, "3600",
	    0, 604800, "sign and close an audit file this long after its first "
	    "event (0: only on size and shutdown)"),
	OPT("audit-sync-interval-ms", CONFIG_INTEGER, audit_sync_interval_ms,
	    "1000", 0, 60000, "fsync the audit file at most this long after a "
	    "write (0: before answering each request)"),
	OPT("metrics-allow-remote", CONFIG_BOOLEAN, metrics_allow_remote, "false",
	    0, 0, "serve GET /metrics to non-loopback clients too"),
	OPT("log-level", CONFIG_STRING, log_level, "info", 0, 0,
	    "debug, info, warn or error"),
	OPT("threads", CONFIG_INTEGER, threads, "0", 0, 256,
	    "HTTP worker threads (0: one per CPU)"),
	OPT("max-body-bytes", CONFIG_INTEGER, max_body_bytes, "1048576", 1024,
	    16777216, "largest request body accepted"),
	OPT("max-header-bytes", CONFIG_INTEGER, max_header_bytes, "32768", 4096,
	    1048576, "memory for one connection's request line and headers"),
	OPT("max-clock-skew-seconds", CONFIG_INTEGER, max_clock_skew_seconds,
	    "300", 1, 3600, "how far a request's X-Amz-Date may be from now"),
	OPT("idle-timeout-seconds", CONFIG_INTEGER, idle_timeout_seconds, "60", 1,
	    3600, "close idle keep-alive connections after this long"),
	OPT("test-clock-offset-seconds", CONFIG_INTEGER,
	    test_clock_offset_seconds, "0", -3153600000LL, 3153600000LL,
	    "tests only: shift the server's clock by this many seconds"),
	OPT("purge-interval-seconds", CONFIG_INTEGER, purge_interval_seconds,
	    "60", 1, 86400, "how often secrets past their recovery window are "
	    "removed (also once at start)"),
	OPT("rotation-interval-seconds", CONFIG_INTEGER,
	    rotation_interval_seconds, "60", 1, 86400, "how often due "
	    "rotations are looked for (RotateSecret starts one at once)"),
	OPT("rotation-retry-seconds", CONFIG_INTEGER, rotation_retry_seconds,
	    "600", 1, 604800, "how long a failed rotation waits before it is "
	    "tried again with the same pending version"),
	OPT("rotation-function-timeout-seconds", CONFIG_INTEGER,
	    rotation_function_timeout_seconds, "60", 1, 900, "how long one step "
	    "of a rotation function may run (unless registered with its own)"),
	OPT("rotation-endpoint-url", CONFIG_STRING, rotation_endpoint_url, NULL,
	    0, 0, "where rotation functions call the API back; default: this "
	    "server's --listen address (http or https)"),
	OPT("allow-insecure-remote", CONFIG_BOOLEAN, allow_insecure_remote, "false",
	    0, 0, "allow plain HTTP on a non-loopback address"),
	{ NULL, 0, 0, NULL, 0, 0, NULL },
};

static const struct config_option *
option_find(const char *name)
{
	for (const struct config_option *o = config_options; o->name != NULL; o++)
		if (strcmp(o->name, name) == 0)
			return o;
	return NULL;
}

void
config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (const struct config_option *o = config_options; o->name != NULL; o++)
		if (o->default_value != NULL)
			(void)config_set(cfg, o->name, o->default_value, NULL);
}

void
config_cleanup(struct config *cfg)
{
	for (const struct config_option *o = config_options; o->name != NULL; o++)
		if (o->type == CONFIG_STRING)
			free(*(char **)((char *)cfg + o->offset));
	memset(cfg, 0, sizeof(*cfg));
}

enum status
config_set(struct config *cfg, const char *name, const char *value,
    struct error *err)
{
	const struct config_option *o = option_find(name);
	char	*end, *copy;
	long long v;

	if (o == NULL)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "unknown option '%s'", name);
	switch (o->type) {
	case CONFIG_STRING:
		if ((copy = strdup(value)) == NULL)
			return error_set(err, STATUS_NO_MEMORY, "out of memory");
		free(*(char **)((char *)cfg + o->offset));
		*(char **)((char *)cfg + o->offset) = copy;
		break;
	case CONFIG_INTEGER:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0' || v < o->min ||
		    v > o->max)
			return error_set(err, STATUS_INVALID_PARAMETER,
			    "%s must be an integer from %lld to %lld", name,
			    (long long)o->min, (long long)o->max);
		*(int64_t *)((char *)cfg + o->offset) = v;
		break;
	case CONFIG_BOOLEAN:
		if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 ||
		    strcmp(value, "1") == 0)
			*(bool *)((char *)cfg + o->offset) = true;
		else if (strcmp(value, "false") == 0 || strcmp(value, "no") == 0 ||
		    strcmp(value, "0") == 0)
			*(bool *)((char *)cfg + o->offset) = false;
		else
			return error_set(err, STATUS_INVALID_PARAMETER,
			    "%s must be true or false", name);
		break;
	}
	return STATUS_OK;
}

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
	    end[-1] == '\r'))
		*--end = '\0';
	return s;
}

enum status
config_load_file(struct config *cfg, const char *path, bool required,
    struct error *err)
{
	FILE		*f;
	char		*line = NULL, *key, *value, *eq;
	size_t		 line_cap = 0;
	unsigned	 lineno = 0;
	struct error	 sub;
	enum status	 st = STATUS_OK;

	if ((f = fopen(path, "r")) == NULL) {
		if (!required && errno == ENOENT)
			return STATUS_OK;
		return error_set(err, STATUS_IO, "%s: %s", path, strerror(errno));
	}
	/* getline: a line of any length is one line (a long comment's tail
	 * never becomes a setting). */
	while (getline(&line, &line_cap, f) != -1) {
		lineno++;
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			st = error_set(err, STATUS_INVALID_PARAMETER,
			    "%s:%u: expected 'name = value'", path, lineno);
			break;
		}
		*eq = '\0';
		key = trim(key);
		value = trim(eq + 1);
		for (char *p = key; *p; p++)
			if (*p == '_')
				*p = '-';
		if (strcmp(key, "data-dir") == 0) {
			st = error_set(err, STATUS_INVALID_PARAMETER,
			    "%s:%u: data-dir cannot be set in the file it is "
			    "read from", path, lineno);
			break;
		}
		if ((st = config_set(cfg, key, value, &sub)) != STATUS_OK) {
			error_set(err, st, "%s:%u: %s", path, lineno, sub.message);
			break;
		}
	}
	free(line);
	fclose(f);
	return st;
}

enum status
config_listen_parse(const char *listen, char *host, size_t host_len,
    uint16_t *port, struct error *err)
{
	const char	*colon;
	char		*end;
	long		 p;
	size_t		 n;

	if (listen[0] == '[') {
		const char *close = strchr(listen, ']');

		if (close == NULL || close[1] != ':')
			goto bad;
		n = (size_t)(close - listen - 1);
		if (n == 0 || n >= host_len)
			goto bad;
		memcpy(host, listen + 1, n);
		host[n] = '\0';
		colon = close + 1;
	} else {
		if ((colon = strrchr(listen, ':')) == NULL)
			goto bad;
		n = (size_t)(colon - listen);
		if (n == 0 || n >= host_len)
			goto bad;
		memcpy(host, listen, n);
		host[n] = '\0';
	}
	p = strtol(colon + 1, &end, 10);
	if (end == colon + 1 || *end != '\0' || p < 0 || p > 65535)
		goto bad;
	*port = (uint16_t)p;
	return STATUS_OK;
bad:
	return error_set(err, STATUS_INVALID_PARAMETER,
	    "listen address '%s' must be HOST:PORT or [IPV6]:PORT", listen);
}

enum status
config_finish(struct config *cfg, struct error *err)
{
	if (cfg->root_key_file == NULL &&
	    asprintf(&cfg->root_key_file, "%s/root.key", cfg->data_dir) < 0) {
		cfg->root_key_file = NULL;
		return error_set(err, STATUS_NO_MEMORY, "out of memory");
	}
	if (cfg->pkcs11_wrapped_key_file == NULL &&
	    asprintf(&cfg->pkcs11_wrapped_key_file, "%s/root.key.p11",
	    cfg->data_dir) < 0) {
		cfg->pkcs11_wrapped_key_file = NULL;
		return error_set(err, STATUS_NO_MEMORY, "out of memory");
	}
	if (cfg->audit_dir == NULL &&
	    asprintf(&cfg->audit_dir, "%s/audit", cfg->data_dir) < 0) {
		cfg->audit_dir = NULL;
		return error_set(err, STATUS_NO_MEMORY, "out of memory");
	}
	/* Defaults first, then the checks: a refused configuration still
	 * leaves every path set (found by fuzz_config). */
	if (strcmp(cfg->root_key_source, "auto") != 0 &&
	    strcmp(cfg->root_key_source, "file") != 0 &&
	    strcmp(cfg->root_key_source, "env") != 0 &&
	    strcmp(cfg->root_key_source, "pkcs11") != 0)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "root-key-source must be auto, file, env or pkcs11");
	if (strcmp(cfg->audit_on_failure, "deny") != 0 &&
	    strcmp(cfg->audit_on_failure, "allow") != 0)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "audit-on-failure must be deny or allow");
	if ((cfg->tls_cert_file == NULL) != (cfg->tls_key_file == NULL))
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "tls-cert and tls-key must be given together");
	if (cfg->rotation_endpoint_url != NULL &&
	    strncmp(cfg->rotation_endpoint_url, "http://", 7) != 0 &&
	    strncmp(cfg->rotation_endpoint_url, "https://", 8) != 0)
		return error_set(err, STATUS_INVALID_PARAMETER,
		    "rotation-endpoint-url must be an http:// or https:// URL");
	return STATUS_OK;
}

unsigned
config_http_threads(const struct config *cfg)
{
	unsigned cpus;

	if (cfg->threads > 0)
		return (unsigned)cfg->threads;
	cpus = http_default_threads();
	return cpus > 2 ? cpus : 2;
}
