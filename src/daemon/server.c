/*
 * server.c: `sesame server`: open the data folder, start the HTTP listener
 * and serve until SIGTERM or SIGINT.
 *
 * Signals are blocked in every thread and taken synchronously with
 * sigwait() in the main thread, so shutdown runs outside signal context:
 * stop accepting, finish in-flight requests, close the audit log and store.
 */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "api/api.h"
#include "common/log.h"
#include "daemon/daemon.h"
#include "daemon/maintenance.h"
#include "http/http.h"

static void
server_usage(void)
{
	printf("usage: sesame server [--config FILE] [--check] [flags]\n\n"
	    "Serves the AWS Secrets Manager API from a data folder made by\n"
	    "`sesame init`.  Options come from built-in defaults, then\n"
	    "DATA_DIR/sesame.conf (name = value lines), then --config FILE, then\n"
	    "flags.  --check validates the configuration and exits.\n\nflags:\n");
	for (const struct config_option *o = config_options; o->name != NULL; o++)
		printf("  --%-28s %s%s%s%s\n", o->name, o->help,
		    o->default_value != NULL ? " (default: " : "",
		    o->default_value != NULL ? o->default_value : "",
		    o->default_value != NULL ? ")" : "");
	printf("\nThe root key is read from SESAME_ROOT_KEY (64 hex characters) "
	    "when set,\nelse from --root-key-file, which must not be readable "
	    "by group or others.\n");
}

/* sesame_secrets{account_id}: counted in the store when /metrics is read. */
static enum status
secret_counts(void *arg, void (*emit)(void *, const char *, int64_t),
    void *emit_arg)
{
	const struct api_env	*env = arg;
	struct store_txn	*txn = NULL;
	enum status		 st;

	if ((st = store_begin(env->core.store, false, &txn)) != STATUS_OK)
		return st;
	st = store_secret_counts(txn, emit, emit_arg);
	store_rollback(txn);
	return st;
}

static bool
host_is_loopback(const char *host)
{
	return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
	    strcmp(host, "localhost") == 0;
}

/* defaults < DATA_DIR/sesame.conf < flags (which may name --config). */
static int
server_config(int argc, char **argv, struct config *cfg, bool *check)
{
	static const char *const extra[] = { "check", "help", NULL };
	const char	*extra_values[3] = { NULL, NULL, NULL };
	struct config	 first;
	struct error	 err;
	char		 path[4096];
	int		 used;

	/* --check and --help take no value: handle them before the parser. */
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			server_usage();
			return 1;
		}
		if (strcmp(argv[i], "--check") == 0) {
			*check = true;
			for (int j = i; j < argc - 1; j++)
				argv[j] = argv[j + 1];
			argc--;
			i--;
		}
	}
	config_init(&first);
	if (flags_parse(argc, argv, &first, extra, extra_values) < 0) {
		config_cleanup(&first);
		return -1;
	}
	config_init(cfg);
	snprintf(path, sizeof(path), "%s/sesame.conf", first.data_dir);
	config_set(cfg, "data-dir", first.data_dir, NULL);
	config_cleanup(&first);
	if (config_load_file(cfg, path, false, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		return -1;
	}
	if ((used = flags_parse(argc, argv, cfg, extra, extra_values)) < 0)
		return -1;
	if (used != argc) {
		fprintf(stderr, "sesame: unexpected argument '%s'\n", argv[used]);
		return -1;
	}
	if (config_finish(cfg, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		return -1;
	}
	return 0;
}

/* The audit log, signed with a key derived from the root key. */
static enum status
server_audit_open(const struct config *cfg, struct api_env *env,
    struct error *err)
{
	struct audit_config	 acfg;
	struct secret_buf	*root = NULL;
	enum status		 st;

	memset(&acfg, 0, sizeof(acfg));
	if ((st = data_dir_root_key(cfg, &root, err)) != STATUS_OK)
		return st;
	st = root_key_derive(root, AUDIT_KEY_LABEL, &acfg.signing_key);
	secret_buf_free(root);
	if (st != STATUS_OK)
		return error_set(err, st, "cannot derive the audit key");
	acfg.dir = cfg->audit_dir;
	acfg.file_max_bytes = cfg->audit_file_max_bytes;
	acfg.rotate_seconds = cfg->audit_rotate_seconds;
	acfg.sync_interval_ms = cfg->audit_sync_interval_ms;
	acfg.on_file_closed = audit_anchor_save;
	acfg.on_file_closed_arg = &env->core;
	return audit_open(&acfg, &env->audit, err);
}

int
cmd_server(int argc, char **argv)
{
	struct config		 cfg;
	struct api_env		 env;
	struct http_server_config hcfg;
	struct http_server	*http = NULL;
	struct maintenance	*jobs = NULL;
	struct error		 err;
	enum log_level		 level;
	sigset_t		 signals;
	char			 host[256];
	uint16_t		 port;
	bool			 check = false;
	int			 sig, rc = 1, r;
	struct timespec		 started, ready;

	clock_gettime(CLOCK_MONOTONIC, &started);
	/*
	 * Before any other OpenSSL call, which would load them: nothing here
	 * prints OpenSSL's error strings, and loading them keeps about
	 * 0.3 MiB of libcrypto resident.  Its configuration is still read.
	 */
	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS, NULL) != 1) {
		fprintf(stderr, "sesame: cannot initialise OpenSSL\n");
		goto out;
	}
	memset(&env, 0, sizeof(env));
	memset(&cfg, 0, sizeof(cfg));
	if ((r = server_config(argc, argv, &cfg, &check)) != 0) {
		rc = r > 0 ? 0 : 2;
		goto out;
	}
	if (log_level_parse(cfg.log_level, &level) != 0) {
		fprintf(stderr, "sesame: log-level must be debug, info, warn or "
		    "error\n");
		rc = 2;
		goto out;
	}
	log_set_level(level);
	if (config_listen_parse(cfg.listen, host, sizeof(host), &port, &err) !=
	    STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		rc = 2;
		goto out;
	}
	if (!host_is_loopback(host) && cfg.tls_cert_file == NULL &&
	    !cfg.allow_insecure_remote) {
		fprintf(stderr, "sesame: refusing to serve plain HTTP on the "
		    "non-loopback address %s: secrets would cross the network in "
		    "clear text; give --tls-cert and --tls-key, or "
		    "--allow-insecure-remote if something in front terminates "
		    "TLS\n", host);
		rc = 2;
		goto out;
	}
	if (check) {
		printf("configuration OK\n");
		rc = 0;
		goto out;
	}

	/* No core dumps, no ptrace by other users: memory holds keys. */
	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&signals);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGINT);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);

	api_json_alloc_init();
	if (data_dir_open(&cfg, &env.core, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	if ((env.sigv4_cache = sigv4_cache_new()) == NULL) {
		fprintf(stderr, "sesame: out of memory\n");
		goto out;
	}
	if (server_audit_open(&cfg, &env, &err) != STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	env.is_audit_fail_open = strcmp(cfg.audit_on_failure, "allow") == 0;
	if (env.is_audit_fail_open)
		log_warn("audit-on-failure = allow: requests are answered even "
		    "when their audit event cannot be written");
	if ((env.metrics = api_metrics_new()) == NULL) {
		fprintf(stderr, "sesame: out of memory\n");
		goto out;
	}
	metrics_set_secret_counter(env.metrics, secret_counts, &env);
	env.is_metrics_remote_allowed = cfg.metrics_allow_remote;
	env.max_skew_seconds = (int)cfg.max_clock_skew_seconds;
	env.clock_offset_ms = cfg.test_clock_offset_seconds * 1000;
	if (env.clock_offset_ms != 0)
		log_warn("test clock offset of %lld seconds in effect",
		    (long long)cfg.test_clock_offset_seconds);

	if (maintenance_start(&env, &cfg, &jobs) != STATUS_OK) {
		fprintf(stderr, "sesame: cannot start the background jobs\n");
		goto out;
	}

	memset(&hcfg, 0, sizeof(hcfg));
	hcfg.host = host;
	hcfg.port = port;
	hcfg.tls_cert_file = cfg.tls_cert_file;
	hcfg.tls_key_file = cfg.tls_key_file;
	hcfg.threads = config_http_threads(&cfg);
	hcfg.may_block = api_request_may_block;
	hcfg.blocking_threads = http_default_blocking_threads();
	hcfg.max_body_bytes = (size_t)cfg.max_body_bytes;
	hcfg.max_header_bytes = (size_t)cfg.max_header_bytes;
	hcfg.idle_timeout_seconds = (unsigned)cfg.idle_timeout_seconds;
	if (http_server_start(&hcfg, api_handle_http, &env, &http, &err) !=
	    STATUS_OK) {
		fprintf(stderr, "sesame: %s\n", err.message);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &ready);
	/* Give back what start-up freed (the integrity check's buffers and
	 * page cache): an idle server keeps only what serving needs. */
	(void)malloc_trim(0);
	log_info("listening on %s://%s%s%s:%u (data folder %s, started in %ld ms)",
	    cfg.tls_cert_file != NULL ? "https" : "http",
	    strchr(host, ':') != NULL ? "[" : "", host,
	    strchr(host, ':') != NULL ? "]" : "", http_server_port(http),
	    cfg.data_dir, (long)((ready.tv_sec - started.tv_sec) * 1000 +
	    (ready.tv_nsec - started.tv_nsec) / 1000000));

	if (sigwait(&signals, &sig) == 0)
		log_info("signal %d: shutting down", sig);
	rc = 0;
out:
	/* The jobs first: a rotation function interrupted now still reaches
	 * the API while it is killed, rather than failing on a closed port. */
	maintenance_stop(jobs);
	http_server_stop(http);
	audit_close(env.audit);
	metrics_free(env.metrics);
	sigv4_cache_free(env.sigv4_cache);
	data_dir_close(&env.core);
	config_cleanup(&cfg);
	return rc;
}
