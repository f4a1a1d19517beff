/*
 * test_store_sqlite.c: the store conformance suite, run against the SQLite
 * backend.
 *
 * Every case but those under "SQLite only" speaks to the store through
 * store.h alone, so the same cases can run against another backend by
 * changing fixture_config().  Each case gets a fresh database in its own
 * temporary directory.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"

struct fixture {
	char		 dir[64];
	char		 path[128];
	struct store	*st;
};

static struct store_config
fixture_config(const struct fixture *f)
{
	struct store_config cfg = { .backend = "sqlite", .path = f->path };

	return cfg;
}

static enum status
fixture_open(struct fixture *f, struct error *err)
{
	struct store_config cfg = fixture_config(f);

	return store_open(&cfg, &f->st, err);
}

static void
fixture_reopen(struct fixture *f)
{
	struct error	 err;

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(fixture_open(f, &err), STATUS_OK);
}

static int
setup(void **state)
{
	struct fixture	*f;
	struct error	 err;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/sesame-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/sesame.db", f->dir);
	if (fixture_open(f, &err) != STATUS_OK) {
		fprintf(stderr, "store_open: %s\n", err.message);
		return -1;
	}
	*state = f;
	return 0;
}

/* A fixture with a directory but no store yet. */
static int
setup_empty(void **state)
{
	struct fixture	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/sesame-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/sesame.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	struct dirent	*de;
	char		 path[512];
	DIR		*d;

	store_close(f->st);
	if ((d = opendir(f->dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 ||
			    strcmp(de->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", f->dir,
			    de->d_name);
			unlink(path);
		}
		closedir(d);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct store_txn *
txn_begin(struct fixture *f, bool write)
{
	struct store_txn *txn = NULL;

	assert_int_equal(store_begin(f->st, write, &txn), STATUS_OK);
	assert_non_null(txn);
	return txn;
}

/* Insert a secret with a derived ARN; returns its id. */
static int64_t
secret_add(struct store_txn *txn, const char *account, const char *region,
    const char *name)
{
	struct secret_record rec;
	char		 arn[256];

	snprintf(arn, sizeof(arn), "arn:aws:secretsmanager:%s:%s:secret:%s-AbCdEf",
	    region, account, name);
	memset(&rec, 0, sizeof(rec));
	rec.account_id = (char *)account;
	rec.region = (char *)region;
	rec.name = (char *)name;
	rec.arn = arn;
	rec.created_at = 1000;
	rec.last_changed_at = 1000;
	assert_int_equal(store_secret_insert(txn, &rec), STATUS_OK);
	assert_true(rec.id > 0);
	return rec.id;
}

static enum status
version_add(struct store_txn *txn, int64_t secret_id, const char *version_id,
    int64_t created_at, const char *stage)
{
	struct version_record rec;
	char		*stages[1];

	memset(&rec, 0, sizeof(rec));
	rec.secret_id = secret_id;
	rec.version_id = (char *)version_id;
	rec.created_at = created_at;
	rec.kms_key_arn = (char *)"arn:aws:kms:us-east-1:111122223333:key/k1";
	rec.ciphertext = (unsigned char *)"sealed-value";
	rec.ciphertext_len = 12;
	rec.wrapped_key = (unsigned char *)"wrapped";
	rec.wrapped_key_len = 7;
	if (stage != NULL) {
		stages[0] = (char *)stage;
		rec.stages = stages;
		rec.stage_count = 1;
	}
	return store_version_insert(txn, &rec);
}

/* ---- opening ---- */

static void
test_database_file_is_private(void **state)
{
	struct fixture	*f = *state;
	struct store_txn *txn;
	struct stat	 sb;
	char		 wal[160];

	txn = txn_begin(f, true);
	assert_int_equal(store_account_put(txn, "111122223333", 1), STATUS_OK);
	assert_int_equal(store_commit(txn), STATUS_OK);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	if (stat(wal, &sb) == 0)
		assert_int_equal(sb.st_mode & 0777, 0600);
}

/* A umask that takes the owner's write bit must not leave a file the
 * server cannot write, nor one any looser than 0600. */
static void
test_file_mode_is_0600_whatever_the_umask(void **state)
{
	struct fixture	*f = *state;
	struct store_txn *txn;
	struct error	 err;
	struct stat	 sb;
	char		 wal[160];
	mode_t		 old;

	old = umask(0277);
	assert_int_equal(fixture_open(f, &err), STATUS_OK);
	txn = txn_begin(f, true);
	assert_int_equal(store_account_put(txn, "111122223333", 1), STATUS_OK);
	assert_int_equal(store_commit(txn), STATUS_OK);
	umask(old);
	assert_int_equal(stat(f->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_int_equal(stat(wal, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
}

static void
test_reopen_keeps_schema_and_data(void **state)
{
	struct fixture	*f = *state;
	struct store_txn *txn;
	unsigned char	*value = NULL;
	size_t		 len = 0;

	txn = txn_begin(f, true);
	assert_int_equal(store_meta_put(txn, "format", (const unsigned char *)"1",
	    1), STATUS_OK);
	assert_int_equal(store_commit(txn), STATUS_OK);
	fixture_reopen(f);
	fixture_reopen(f);
	txn = txn_begin(f, false);
	assert_int_equal(store_meta_get(txn, "format", &value, &len),
	    STATUS_OK);
	assert_int_equal(len, 1);
	assert_memory_equal(value, "1", 1);
	free(value);
	store_rollback(txn);
}

static void
test_unknown_backend_is_invalid_parameter(void **state)
{
	struct store_config cfg = { .backend = "oracle", .path = "/nonexistent" };
	struct store	*st = NULL;
	struct error	 err;

	(void)state;
	assert_int_equal(store_open(&cfg, &st, &err), STATUS_INVALID_PARAMETER);
	assert_null(st);
	assert_int_equal(err.status, STATUS_INVALID_PARAMETER);
	assert_non_null(strstr(err.message, "unknown store backend"));
}

static void
test_missing_arguments_are_internal_errors(void **state)
{
	struct fixture	*f = *state;
	struct store_txn *txn;
	struct secret_record rec;
	unsigned char	*value;
	size_t		 len;

	assert_int_equal(store_begin(NULL, false, &txn), STATUS_INTERNAL);
	assert_int_equal(store_begin(f->st, false, NULL), STATUS_INTERNAL);
	assert_int_equal(store_commit(NULL), STATUS_INTERNAL);
	store_rollback(NULL);
	txn = txn_begin(f, true);
	assert_int_equal(store_meta_get(txn, NULL, &value, &len),
	    STATUS_INTERNAL);
	assert_int_equal(store_meta_put(txn, "k", NULL, 3), STATUS_INTERNAL);
	memset(&rec, 0, sizeof(rec));
	rec.account_id = (char *)"111122223333";
	assert_int_equal(store_secret_insert(txn, &rec), STATUS_INTERNAL);
	assert_int_equal(store_secret_get_by_arn(txn, "arn", NULL),
	    STATUS_INTERNAL);
	assert_int_equal(store_tags_put(txn, 1, NULL, 2), STATUS_INTERNAL);
	store_rollback(txn);
}

/* ---- meta and accounts ---- */

/* The meta value under key as a read transaction sees it ("" when none). */
static void
meta_read(struct store *st, const char *key, char *out, size_t out_len)
{
	struct store_txn *txn = NULL;
	unsigned char	*value = NULL;
	size_t		 len = 0;
	enum status	 rc;

	assert_int_equal(store_begin(st, false, &txn), STATUS_OK);
	rc = store_meta_get(txn, key, &value, &len);
	assert_true(rc == STATUS_OK || rc == STATUS_NOT_FOUND);
	assert_true(len < out_len);
	memcpy(out, value != NULL ? (const char *)value : "", len);
	out[len] = '\0';
	free(value);
	store_rollback(txn);
}

static void
meta_write(struct store *st, const char *key, const char *value)
{
	struct store_txn *txn = NULL;

	assert_int_equal(store_begin(st, true, &txn), STATUS_OK);
	assert_int_equal(store_meta_put(txn, key, (const unsigned char *)value,
	    strlen(value)), STATUS_OK);
	assert_int_equal(store_commit(txn), STATUS_OK);
}

/*
 * Read transactions are kept open between reads while nothing is
 * committed; every commit, by this store or by another one on the same
 * file (another process, as `sesame admin` is), is seen by the next read.
 */
static void
test_kept_reads_see_every_commit(void **state)
{
	struct fixture	*f = *state;
	struct store_config cfg = fixture_config(f);
	struct store	*other = NULL;
	struct error	 err;
	char		 got[32];

	assert_int_equal(store_open(&cfg, &other, &err), STATUS_OK);
	for (int i = 0; i < 3; i++) {
		meta_read(f->st, "k", got, sizeof(got));
		assert_string_equal(got, "");
	}
	meta_write(other, "k", "from the other");
	meta_read(f->st, "k", got, sizeof(got));
	assert_string_equal(got, "from the other");
	meta_read(f->st, "k", got, sizeof(got));
	assert_string_equal(got, "from the other");
	meta_write(f->st, "k", "own");
	meta_read(f->st, "k", got, sizeof(got));
	assert_string_equal(got, "own");
	meta_read(other, "k", got, sizeof(got));
	assert_string_equal(got, "own");
	/* Enough commits to pass a checkpoint, then a read. */
	for (int i = 0; i < 1200; i++) {
		char v[16];

		snprintf(v, sizeof(v), "%d", i);
		meta_write(i % 2 ? other : f->st, "k", v);
		if (i % 100 == 0) {
			meta_read(f->st, "k", got, sizeof(got));
			assert_string_equal(got, v);
		}
	}
	meta_read(f->st, "k", got, sizeof(got));
	assert_string_equal(got, "1199");
	store_close(other);
}

/*
 * SQLite holds a shared POSIX lock on the WAL-index's "DMS" byte (offset
 * 128 of the -shm file) for as long as a connection of the process has it
 * open; that lock is what stops another process from truncating and
 * rebuilding the file under the mapping.  Closing any descriptor of the
 * file would drop it (POSIX locks belong to the process), so the store's
 * own watch of the file must not.  A child process asks who holds it.
 */
static void
test_wal_index_keeps_sqlite_locks(void **state)
{
	struct fixture	*f = *state;
	char		 shm[160], got[32];
	pid_t		 pid;
	int		 status = 0;

	meta_write(f->st, "k", "v");
	meta_read(f->st, "k", got, sizeof(got));
	assert_string_equal(got, "v");
	snprintf(shm, sizeof(shm), "%s-shm", f->path);
	if ((pid = fork()) == 0) {
		struct flock	 fl;
		int		 fd = open(shm, O_RDWR | O_CLOEXEC);

		memset(&fl, 0, sizeof(fl));
		fl.l_type = F_WRLCK;
		fl.l_whence = SEEK_SET;
		fl.l_start = 128;
		fl.l_len = 1;
		if (fd < 0 || fcntl(fd, F_GETLK, &fl) != 0)
			_exit(2);
		_exit(fl.l_type == F_UNLCK ? 1 : 0);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static void
test_meta_put_get_and_replace(void **state)
{
	struct fixture	*f = *state;
	struct store_txn *txn;
	unsigned char	*value = NULL;
	size_t		 len = 0;

	txn = txn_begin(f, true);
	assert_int_equal(store_meta_get(txn, "salt", &value, &len),
	    STATUS_NOT_FOUND);
	assert_null(value);
	assert_int_equal(store_meta_put(txn, "salt",
	    (const unsigned char *)"\x00\x01\x02", 3), STATUS_OK);
	assert_int_equal(store_meta_get(txn, "salt", &value, &len), STATUS_OK);
	assert_int_equal(len, 3);
	assert_memory_equal(value, "\x00\x01\x02", 3);
	free(value);
	assert_int_equal(store_meta_put(txn, "salt",
	    (const unsigned char *)"xy", 2), STATUS_OK);
	assert_int_equal(store_meta_get(txn, "salt", &value, &len), STATUS_OK);
	assert_int_equal(len, 2);
	assert_memory_equal(value, "xy", 2);
	free(value);
	assert_int_equal(store_meta_put(txn, "empty", NULL, 0), STATUS_OK);
	assert_int_equal(store_meta_get(txn, "empty", &value, &len),
	    STATUS_OK);
	assert_non_null(value);
	assert_int_equal(len, 0);
	free(value);
	assert_int_equal(store_commit(txn), STATUS_OK);
}

static void
test_account_put_twice_is_exists(void **state)
{
	struct fixture	*f = *state;
	struct store_txn *txn;

	txn = txn_begin(f, true);
	assert_int_equal(store_account_exists(txn, "111122223333"),
	    STATUS_NOT_FOUND);
	assert_int_equal(store_account_put(txn, "111122223333", 5), STATUS_OK);
	assert_int_equal(store_account_put(txn, "111122223333", 6),
	    STATUS_EXISTS);
	assert_int_equal(store_account_exists(txn, "111122223333"), STATUS_OK);
	assert_int_equal(store_commit(txn), STATUS_OK);
}

/* ---- access keys ---- */

static void
test_access_key_round_trip(void **state)
{
	struct fixture	*f = *state;
	struct access_key_record rec, got;
	struct store_txn *txn;

	memset(&rec, 0, sizeof(rec));
	rec.access_key_id = (char *)"AKIAEXAMPLE000000001";
	rec.account_id = (char *)"111122223333";
	rec.principal_arn = (char *)"arn:aws:iam::111122223333:user/admin";
	rec.user_name = (char *)"admin";
	rec.user_id = (char *)"AIDAEXAMPLE00000001";
	rec.wrapped_secret = (unsigned char *)"\x01wrapped\x00secret";
	rec.wrapped_secret_len = 15;
	rec.is_active = true;
	rec.created_at = 42;

	txn = txn_begin(f, true);
	/* The account must exist first. */
	assert_int_equal(store_access_key_put(txn, &rec), STATUS_NOT_FOUND);
	assert_int_equal(store_account_put(txn, "111122223333", 1), STATUS_OK);
	assert_int_equal(store_access_key_put(txn, &rec), STATUS_OK);
	assert_int_equal(store_access_key_put(txn, &rec), STATUS_EXISTS);
	assert_int_equal(store_commit(txn), STATUS_OK);

	txn = txn_begin(f, false);
	memset(&got, 0, sizeof(got));
	assert_int_equal(store_access_key_get(txn, "AKIANOSUCHKEY0000000",
	    &got), STATUS_NOT_FOUND);
	assert_int_equal(store_access_key_get(txn, rec.access_key_id, &got),
	    STATUS_OK);
	store_rollback(txn);
	assert_string_equal(got.access_key_id, rec.access_key_id);
	assert_string_equal(got.account_id, rec.account_id);
	assert_string_equal(got.principal_arn, rec.principal_arn);
	assert_string_equal(got.user_name, rec.user_name);
	assert_string_equal(got.user_id, rec.user_id);
	assert_int_equal(got.wrapped_secret_len, rec.wrapped_secret_len);
	assert_memory_equal(got.wrapped_secret, rec.wrapped_secret,
	    rec.wrapped_secret_len);
	assert_true(got.is_active);
	assert_int_equal(got.created_at, 42);
	access_key_record_cleanup(&got);
	assert_null(got.access_key_id);
	assert_null(got.wrapped_secret);
}

/* ---- KMS keys and aliases ---- */

static void
test_kms_key_and_alias(void **state)
{
	struct fixture	*f = *state;
	struct kms_key_record rec, got;
	struct kms_key_version_record v, got_v;
	struct store_txn *txn;
	char		*key_id = NULL;

	memset(&rec, 0, sizeof(rec));
	memset(&v, 0, sizeof(v));
	rec.key_id = (char *)"0b5f3f2e-1111-4222-8333-944445555666";
	rec.account_id = (char *)"111122223333";
	rec.region = (char *)"us-east-1";
	rec.arn = (char *)"arn:aws:kms:us-east-1:111122223333:key/"
	    "0b5f3f2e-1111-4222-8333-944445555666";
	rec.key_manager = (char *)"AWS";
	rec.state = (char *)"Enabled";
	rec.created_at = 7;
	rec.current_version = 1;
	v.key_id = rec.key_id;
	v.version = 1;
	v.wrapped_material = (unsigned char *)"material";
	v.wrapped_material_len = 8;
	v.created_at = 7;

	txn = txn_begin(f, true);
	assert_int_equal(store_kms_key_put(txn, &rec), STATUS_OK);
	assert_int_equal(store_kms_key_put(txn, &rec), STATUS_EXISTS);
	assert_int_equal(store_kms_key_version_put(txn, &v), STATUS_OK);
	assert_int_equal(store_kms_key_version_put(txn, &v), STATUS_EXISTS);
	/* Another key id with the same ARN. */
	rec.key_id = (char *)"other";
	assert_int_equal(store_kms_key_put(txn, &rec), STATUS_EXISTS);
	rec.key_id = (char *)"0b5f3f2e-1111-4222-8333-944445555666";
	assert_int_equal(store_kms_alias_put(txn, "111122223333", "us-east-1",
	    "alias/aws/secretsmanager", rec.key_id, 8), STATUS_OK);
	assert_int_equal(store_kms_alias_put(txn, "111122223333", "us-east-1",
	    "alias/aws/secretsmanager", rec.key_id, 9), STATUS_EXISTS);
	/* The same alias name in another region is another alias. */
	assert_int_equal(store_kms_alias_put(txn, "111122223333", "eu-west-1",
	    "alias/aws/secretsmanager", "k2", 9), STATUS_OK);
	assert_int_equal(store_commit(txn), STATUS_OK);

	txn = txn_begin(f, false);
	memset(&got, 0, sizeof(got));
	assert_int_equal(store_kms_key_get(txn, "111122223333", "eu-west-1",
	    rec.key_id, &got), STATUS_NOT_FOUND);
	assert_int_equal(store_kms_key_get(txn, "999999999999", "us-east-1",
	    rec.key_id, &got), STATUS_NOT_FOUND);
	assert_int_equal(store_kms_key_get(txn, "111122223333", "us-east-1",
	    rec.key_id, &got), STATUS_OK);
	assert_string_equal(got.key_id, rec.key_id);
	assert_string_equal(got.arn, rec.arn);
	assert_null(got.description);
	assert_string_equal(got.key_manager, "AWS");
	assert_string_equal(got.state, "Enabled");
	assert_int_equal(got.created_at, 7);
	assert_int_equal(got.current_version, 1);
	kms_key_record_cleanup(&got);
	memset(&got_v, 0, sizeof(got_v));
	assert_int_equal(store_kms_key_version_get(txn, rec.key_id, 1, &got_v),
	    STATUS_OK);
	assert_int_equal(got_v.wrapped_material_len, 8);
	assert_memory_equal(got_v.wrapped_material, "material", 8);
	assert_null(got_v.rotation_type);
	kms_key_version_record_cleanup(&got_v);
	assert_int_equal(store_kms_key_version_get(txn, rec.key_id, 2, &got_v),
	    STATUS_NOT_FOUND);

	assert_int_equal(store_kms_alias_get(txn, "111122223333", "us-east-1",
	    "alias/none", &key_id), STATUS_NOT_FOUND);
	assert_null(key_id);
	assert_int_equal(store_kms_alias_get(txn, "111122223333", "us-east-1",
	    "alias/aws/secretsmanager", &key_id), STATUS_OK);
	assert_string_equal(key_id, rec.key_id);
	free(key_id);
	store_rollback(txn);
}

/* ---- secrets ---- */

static void
test_secret_insert_get_update(void **state)
{
	struct fixture	*f = *state;
	struct secret_record rec, got;
	struct store_txn *txn;

	memset(&rec, 0, sizeof(rec));
	rec.account_id = (char *)"111122223333";
	rec.region = (char *)"us-east-1";
	rec.name = (char *)"prod/db";
	rec.arn = (char *)"arn:aws:secretsmanager:us-east-1:111122223333:"
	    "secret:prod/db-AbCdEf";
	rec.description = (char *)"the database";
	rec.created_at = 100;
	rec.last_changed_at = 100;

	txn = txn_begin(f, true);
	assert_int_equal(store_secret_insert(txn, &rec), STATUS_OK);
	assert_true(rec.id > 0);
	assert_int_equal(store_commit(txn), STATUS_OK);

	txn = txn_begin(f, true);
	memset(&got, 0, sizeof(got));
	assert_int_equal(store_secret_get_by_name(txn, "111122223333",
	    "us-east-1", "prod/db", &got), STATUS_OK);
	assert_int_equal(got.id, rec.id);
	assert_string_equal(got.arn, rec.arn);
	assert_string_equal(got.description, "the database");
	assert_null(got.kms_key_id);
	assert_int_equal(got.created_at, 100);
	assert_int_equal(got.deleted_at, 0);
	secret_record_cleanup(&got);
	assert_null(got.name);

	assert_int_equal(store_secret_get_by_arn(txn, rec.arn, &got),
	    STATUS_OK);
	assert_int_equal(got.id, rec.id);
	assert_string_equal(got.name, "prod/db");

	free(got.description);
	got.description = NULL;
	free(got.kms_key_id);
	got.kms_key_id = strdup("alias/mine");
	got.last_changed_at = 200;
	got.last_accessed_at = 86400000;
	got.deleted_at = 300;
	got.deletion_date = 400;
	assert_int_equal(store_secret_update(txn, &got), STATUS_OK);
	secret_record_cleanup(&got);

	assert_int_equal(store_secret_get_by_name(txn, "111122223333",
	    "us-east-1", "prod/db", &got), STATUS_OK);
	assert_null(got.description);
	assert_string_equal(got.kms_key_id, "alias/mine");
	assert_int_equal(got.created_at, 100);
	assert_int_equal(got.last_changed_at, 200);
	assert_int_equal(got.last_accessed_at, 86400000);
	assert_int_equal(got.deleted_at, 300);
	assert_int_equal(got.deletion_date, 400);
	got.id = rec.id + 1000;
	assert_int_equal(store_secret_update(txn, &got), STATUS_NOT_FOUND);
	secret_record_cleanup(&got);

	assert_int_equal(store_secret_get_by_name(txn, "111122223333",
	    "us-east-1", "prod/nothing", &got), STATUS_NOT_FOUND);
	assert_int_equal(store_secret_get_by_arn(txn, "arn:nothing", &got),
	    STATUS_NOT_FOUND);
	assert_int_equal(store_commit(txn), STATUS_OK);
}

static void
test_secret_name_is_unique_per_account_and_region(void **state)
{
	struct fixture	*f = *state;
	struct secret_record rec;
	struct store_txn *txn;

	txn = txn_begin(f, true);
	secret_add(txn, "111122223333", "us-east-1", "shared");
	secret_add(txn, "111122223333", "eu-west-1", "shared");
	secret_add(txn, "444455556666", "us-east-1", "shared");

	memset(&rec, 0, sizeof(rec));
	rec.account_id = (char *)"111122223333";
	rec.region = (char *)"us-east-1";
	rec.name = (char *)"shared";
	rec.arn = (char *)"arn:aws:secretsmanager:us-east-1:111122223333:"
	    "secret:shared-ZzZzZz";
	rec.id = -5;
	assert_int_equal(store_secret_insert(txn, &rec), STATUS_EXISTS);
	assert_int_equal(rec.id, -5);
	/* Another name with a taken ARN. */
	rec.name = (char *)"other";
	rec.arn = (char *)"arn:aws:secretsmanager:us-east-1:111122223333:"
	    "secret:shared-AbCdEf";
	assert_int_equal(store_secret_insert(txn, &rec), STATUS_EXISTS);
	/* The transaction is still good after a conflict. */
	secret_add(txn, "111122223333", "us-east-1", "after-conflict");
	assert_int_equal(store_commit(txn), STATUS_OK);

	txn = txn_begin(f, false);
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(store_secret_get_by_name(txn, "111122223333",
	    "us-east-1", "after-conflict", &rec), STATUS_OK);
	secret_record_cleanup(&rec);
	store_rollback(txn);
}

static void
test_secret_delete_removes_versions_stages_and_tags(void **state)
{
	struct fixture	*f = *state;
	struct version_record *versions = NULL, v;
	struct store_txn *txn;
	struct tag	 tags[] = { { (char *)"team", (char *)"db" } };
	struct tag	*got = NULL;
	size_t		 count = 99;
	int64_t		 id, keep;

	txn = txn_begin(f, true);
	id = secret_add(txn, "111122223333", "us-east-1", "doomed");
	keep = secret_add(txn, "111122223333", "us-east-1", "kept");
	assert_int_equal(version_add(txn, id, "v1", 1, "AWSCURRENT"),
	    STATUS_OK);
	assert_int_equal(version_add(txn, id, "v0", 0, "AWSPREVIOUS"),
	    STATUS_OK);
	assert_int_equal(version_add(txn, keep, "v1", 1, "AWSCURRENT"),
	    STATUS_OK);
	assert_int_equal(store_tags_put(txn, id, tags, 1), STATUS_OK);
	assert_int_equal(store_tags_put(txn, keep, tags, 1), STATUS_OK);
	assert_int_equal(store_commit(txn), STATUS_OK);

	txn = txn_begin(f, true);
	assert_int_equal(store_secret_delete(txn, id), STATUS_OK);
	assert_int_equal(store_secret_delete(txn, id), STATUS_NOT_FOUND);
	assert_int_equal(store_commit(txn), STATUS_OK);

	txn = txn_begin(f, false);
	memset(&v, 0, sizeof(v));
	assert_int_equal(store_version_get(txn, id, "v1", false, &v),
	    STATUS_NOT_FOUND);
	assert_int_equal(store_version_get_by_stage(txn, id, "AWSCURRENT",
	    false, &v), STATUS_NOT_FOUND);
	assert_int_equal(store_version_list(txn, id, &versions, &count),
	    STATUS_OK);
	assert_int_equal(count, 0);
	version_records_free(versions, count);
	assert_int_equal(store_tags_get(txn, id, &got, &count), STATUS_OK);
	assert_int_equal(count, 0);
	tags_free(got, count);
	/* The neighbour is untouched. */
	assert_int_equal(store_version_get_by_stage(txn, keep, "AWSCURRENT",
	    false, &v), STATUS_OK);
	version_record_cleanup(&v);
	assert_int_equal(store_tags_get(txn, keep, &got, &count), STATUS_OK);
	assert_int_equal(count, 1);
	tags_free(got, count);
	store_rollback(txn);
}

static void
test_secret_list_pages_by_id(void **state)
{
	struct fixture	*f = *state;
	struct store_list_query q;
	struct secret_record *recs = NULL, rec;
	struct store_txn *txn;
	size_t		 count = 0;
	int64_t		 ids[5];
	char		 name[16];

	txn = txn_begin(f, true);
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "s%d", i);
		ids[i] = secret_add(txn, "111122223333", "us-east-1", name);
	}
	secret_add(txn, "111122223333", "eu-west-1", "elsewhere");
	secret_add(txn, "444455556666", "us-east-1", "stranger");
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(store_secret_get_by_name(txn, "111122223333",
	    "us-east-1", "s1", &rec), STATUS_OK);
	rec.deleted_at = 5000;
	rec.deletion_date = 9000;
	assert_int_equal(store_secret_update(txn, &rec), STATUS_OK);
	secret_record_cleanup(&rec);
	assert_int_equal(store_commit(txn), STATUS_OK);

	txn = txn_begin(f, false);
	memset(&q, 0, sizeof(q));
	q.account_id = "111122223333";
	q.region = "us-east-1";
	q.limit = 2;
	assert_int_equal(store_secret_list(txn, &q, &recs, &count), STATUS_OK);
	assert_int_equal(count, 2);
	assert_int_equal(recs[0].id, ids[0]);
	assert_int_equal(recs[1].id, ids[2]);
	assert_string_equal(recs[1].name, "s2");
	q.after_id = recs[1].id;
	secret_records_free(recs, count);

	assert_int_equal(store_secret_list(txn, &q, &recs, &count), STATUS_OK);
	assert_int_equal(count, 2);
	assert_int_equal(recs[0].id, ids[3]);
	assert_int_equal(recs[1].id, ids[4]);
	q.after_id = recs[1].id;
	secret_records_free(recs, count);

	assert_int_equal(store_secret_list(txn, &q, &recs, &count), STATUS_OK);
	assert_int_equal(count, 0);
	secret_records_free(recs, count);

	q.after_id = 0;
	q.limit = 100;
	q.include_deleted = true;
	assert_int_equal(store_secret_list(txn, &q, &recs, &count), STATUS_OK);
	assert_int_equal(count, 5);
	for (size_t i = 0; i < count; i++)
		assert_int_equal(recs[i].id, ids[i]);
	assert_int_equal(recs[1].deleted_at, 5000);
	secret_records_free(recs, count);

	q.limit = 0;
	assert_int_equal(store_secret_list(txn, &q, &recs, &count), STATUS_OK);
	assert_int_equal(count, 0);
	secret_records_free(recs, count);
	store_rollback(txn);
}

static void
test_secret_ids_are_never_reused(void **state)
{
	struct fixture	*f = *state;
	struct store_txn *txn;
	int64_t		 first, second;

	txn = txn_begin(f, true);
	first = secret_add(txn, "111122223333", "us-east-1", "a");
	assert_int_equal(store_secret_delete(txn, first), STATUS_OK);
	second = secret_add(txn, "111122223333", "us-east-1", "a");
	assert_true(second > first);
	assert_int_equal(store_commit(txn), STATUS_OK);
}

/* ---- tags ---- */

static void
test_tags_are_replaced_and_sorted(void **state)
{
	struct fixture	*f = *state;
	struct store_txn *txn;
	struct tag	 first[] = {
		{ (char *)"zone", (char *)"b" },
		{ (char *)"app", (char *)"web" },
	};
	struct tag	 second[] = { { (char *)"owner", (char *)"ops" } };
	struct tag	 dup[] = {
		{ (char *)"k", (char *)"1" },
		{ (char *)"k", (char *)"2" },
	};
	struct tag	*got = NULL;
	size_t		 count = 0;
	int64_t		 id;

	txn = txn_begin(f, true);
	id = secret_add(txn, "111122223333", "us-east-1", "tagged");
	assert_int_equal(store_tags_put(txn, id, first, 2), STATUS_OK);
	assert_int_equal(store_tags_get(txn, id, &got, &count), STATUS_OK);
	assert_int_equal(count, 2);
	assert_string_equal(got[0].key, "app");
	assert_string_equal(got[0].value, "web");
	assert_string_equal(got[1].key, "zone");
	tags_free(got, count);

	assert_int_equal(store_tags_put(txn, id, second, 1), STATUS_OK);
	assert_int_equal(store_tags_get(txn, id, &got, &count), STATUS_OK);
	assert_int_equal(count, 1);
	assert_string_equal(got[0].key, "owner");
	tags_free(got, count);

	/* A failed put changes nothing. */
	assert_int_equal(store_tags_put(txn, id, dup, 2), STATUS_EXISTS);
	assert_int_equal(store_tags_get(txn, id, &got, &count), STATUS_OK);
	assert_int_equal(count, 1);
	assert_string_equal(got[0].key, "owner");
	tags_free(got, count);

	assert_int_equal(store_tags_put(txn, id + 1000, second, 1),
	    STATUS_NOT_FOUND);
	assert_int_equal(store_tags_put(txn, id, NULL, 0), STATUS_OK);
	assert_int_equal(store_tags_get(txn, id, &got, &count), STATUS_OK);
	assert_int_equal(count, 0);
	tags_free(got, count);
	assert_int_equal(store_commit(txn), STATUS_OK);
}

/* ---- versions and staging labels ---- */

static void
test_version_insert_and_get(void **state)
{
	struct fixture	*f = *state;
	struct version_record v;
	struct store_txn *txn;
	int64_t		 id;

	txn = txn_begin(f, true);
	id = secret_add(txn, "111122223333", "us-east-1", "versioned");
	assert_int_equal(version_add(txn, id, "v1", 10, "AWSCURRENT"),
	    STATUS_OK);
	assert_int_equal(version_add(txn, id, "v1", 11, NULL), STATUS_EXISTS);
	assert_int_equal(version_add(txn, id + 1000, "v1", 11, NULL),
	    STATUS_NOT_FOUND);
	assert_int_equal(store_commit(txn), STATUS_OK);

	txn = txn_begin(f, false);
	memset(&v, 0, sizeof(v));
	assert_int_equal(store_version_get(txn, id, "v1", true, &v), STATUS_OK);
	assert_int_equal(v.secret_id, id);
	assert_string_equal(v.version_id, "v1");
	assert_int_equal(v.created_at, 10);
	assert_false(v.is_binary);
	assert_string_equal(v.kms_key_arn,
	    "arn:aws:kms:us-east-1:111122223333:key/k1");
	assert_int_equal(v.ciphertext_len, 12);
	assert_memory_equal(v.ciphertext, "sealed-value", 12);
	assert_int_equal(v.wrapped_key_len, 7);
	assert_memory_equal(v.wrapped_key, "wrapped", 7);
	assert_int_equal(v.stage_count, 1);
	assert_string_equal(v.stages[0], "AWSCURRENT");
	version_record_cleanup(&v);
	assert_null(v.stages);

	assert_int_equal(store_version_get(txn, id, "v1", false, &v), STATUS_OK);
	assert_null(v.ciphertext);
	assert_int_equal(v.ciphertext_len, 0);
	assert_null(v.wrapped_key);
	assert_int_equal(v.stage_count, 1);
	version_record_cleanup(&v);

	assert_int_equal(store_version_get_by_stage(txn, id, "AWSCURRENT", true,
	    &v), STATUS_OK);
	assert_string_equal(v.version_id, "v1");
	assert_int_equal(v.ciphertext_len, 12);
	version_record_cleanup(&v);

	assert_int_equal(store_version_get_by_stage(txn, id, "AWSPENDING",
	    false, &v), STATUS_NOT_FOUND);
	assert_int_equal(store_version_get(txn, id, "v9", false, &v),
	    STATUS_NOT_FOUND);
	assert_null(v.version_id);
	store_rollback(txn);
}

static void
test_version_list_is_newest_first(void **state)
{
	struct fixture	*f = *state;
	struct version_record *list = NULL, v;
	struct store_txn *txn;
	size_t		 count = 0;
	int64_t		 id;

	txn = txn_begin(f, true);
	id = secret_add(txn, "111122223333", "us-east-1", "history");
	assert_int_equal(version_add(txn, id, "old", 100, "AWSPREVIOUS"),
	    STATUS_OK);
	assert_int_equal(version_add(txn, id, "mid", 200, NULL), STATUS_OK);
	/* Same timestamp as "mid", inserted later: newer. */
	assert_int_equal(version_add(txn, id, "new", 200, "AWSCURRENT"),
	    STATUS_OK);
	assert_int_equal(store_stage_move(txn, id, "AWSPENDING", "new"),
	    STATUS_OK);
	assert_int_equal(store_version_list(txn, id, &list, &count), STATUS_OK);
	assert_int_equal(count, 3);
	assert_string_equal(list[0].version_id, "new");
	assert_string_equal(list[1].version_id, "mid");
	assert_string_equal(list[2].version_id, "old");
	assert_null(list[0].ciphertext);
	assert_int_equal(list[0].stage_count, 2);
	assert_string_equal(list[0].stages[0], "AWSCURRENT");
	assert_string_equal(list[0].stages[1], "AWSPENDING");
	assert_int_equal(list[1].stage_count, 0);
	assert_int_equal(list[2].stage_count, 1);
	assert_string_equal(list[2].stages[0], "AWSPREVIOUS");
	version_records_free(list, count);

	assert_int_equal(store_version_delete(txn, id, "new"), STATUS_OK);
	assert_int_equal(store_version_delete(txn, id, "new"),
	    STATUS_NOT_FOUND);
	/* Its labels went with it. */
	memset(&v, 0, sizeof(v));
	assert_int_equal(store_version_get_by_stage(txn, id, "AWSCURRENT",
	    false, &v), STATUS_NOT_FOUND);
	assert_int_equal(store_commit(txn), STATUS_OK);
}

static void
test_stage_move_takes_label_off_old_version(void **state)
{
	struct fixture	*f = *state;
	struct version_record v;
	struct store_txn *txn;
	int64_t		 id;

	txn = txn_begin(f, true);
	id = secret_add(txn, "111122223333", "us-east-1", "rotating");
	assert_int_equal(version_add(txn, id, "v1", 1, "AWSCURRENT"),
	    STATUS_OK);
	assert_int_equal(version_add(txn, id, "v2", 2, "AWSPENDING"),
	    STATUS_OK);
	assert_int_equal(store_stage_move(txn, id, "AWSCURRENT", "v2"),
	    STATUS_OK);
	assert_int_equal(store_stage_move(txn, id, "AWSPREVIOUS", "v1"),
	    STATUS_OK);
	/* Moving to a version that does not exist changes nothing. */
	assert_int_equal(store_stage_move(txn, id, "AWSCURRENT", "v9"),
	    STATUS_NOT_FOUND);
	assert_int_equal(store_commit(txn), STATUS_OK);

	txn = txn_begin(f, false);
	memset(&v, 0, sizeof(v));
	assert_int_equal(store_version_get(txn, id, "v1", false, &v), STATUS_OK);
	assert_int_equal(v.stage_count, 1);
	assert_string_equal(v.stages[0], "AWSPREVIOUS");
	version_record_cleanup(&v);
	assert_int_equal(store_version_get_by_stage(txn, id, "AWSCURRENT",
	    false, &v), STATUS_OK);
	assert_string_equal(v.version_id, "v2");
	assert_int_equal(v.stage_count, 2);
	assert_string_equal(v.stages[0], "AWSCURRENT");
	assert_string_equal(v.stages[1], "AWSPENDING");
	version_record_cleanup(&v);
	store_rollback(txn);
}

static void
test_stage_remove(void **state)
{
	struct fixture	*f = *state;
	struct version_record v;
	struct store_txn *txn;
	int64_t		 id;

	txn = txn_begin(f, true);
	id = secret_add(txn, "111122223333", "us-east-1", "labels");
	assert_int_equal(version_add(txn, id, "v1", 1, "AWSCURRENT"),
	    STATUS_OK);
	assert_int_equal(version_add(txn, id, "v2", 2, "AWSPENDING"),
	    STATUS_OK);
	assert_int_equal(store_stage_remove(txn, id, "AWSPENDING", "v1"),
	    STATUS_NOT_FOUND);
	assert_int_equal(store_stage_remove(txn, id, "custom", "v2"),
	    STATUS_NOT_FOUND);
	assert_int_equal(store_stage_remove(txn, id, "AWSPENDING", "v2"),
	    STATUS_OK);
	assert_int_equal(store_stage_remove(txn, id, "AWSPENDING", "v2"),
	    STATUS_NOT_FOUND);
	memset(&v, 0, sizeof(v));
	assert_int_equal(store_version_get_by_stage(txn, id, "AWSPENDING",
	    false, &v), STATUS_NOT_FOUND);
	assert_int_equal(store_version_get(txn, id, "v2", false, &v), STATUS_OK);
	assert_int_equal(v.stage_count, 0);
	assert_null(v.stages);
	version_record_cleanup(&v);
	assert_int_equal(store_commit(txn), STATUS_OK);
}

/* ---- transactions and durability ---- */

static void
test_rollback_discards_writes(void **state)
{
	struct fixture	*f = *state;
	struct secret_record rec;
	struct store_txn *txn;

	txn = txn_begin(f, true);
	secret_add(txn, "111122223333", "us-east-1", "ephemeral");
	assert_int_equal(store_account_put(txn, "111122223333", 1), STATUS_OK);
	store_rollback(txn);

	txn = txn_begin(f, false);
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(store_secret_get_by_name(txn, "111122223333",
	    "us-east-1", "ephemeral", &rec), STATUS_NOT_FOUND);
	assert_int_equal(store_account_exists(txn, "111122223333"),
	    STATUS_NOT_FOUND);
	store_rollback(txn);
}

static void
test_data_persists_after_reopen(void **state)
{
	struct fixture	*f = *state;
	struct version_record v;
	struct secret_record rec;
	struct store_txn *txn;
	int64_t		 id;

	txn = txn_begin(f, true);
	id = secret_add(txn, "111122223333", "us-east-1", "durable");
	assert_int_equal(version_add(txn, id, "v1", 1, "AWSCURRENT"),
	    STATUS_OK);
	assert_int_equal(store_commit(txn), STATUS_OK);
	fixture_reopen(f);

	txn = txn_begin(f, false);
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(store_secret_get_by_name(txn, "111122223333",
	    "us-east-1", "durable", &rec), STATUS_OK);
	assert_int_equal(rec.id, id);
	secret_record_cleanup(&rec);
	memset(&v, 0, sizeof(v));
	assert_int_equal(store_version_get_by_stage(txn, id, "AWSCURRENT", true,
	    &v), STATUS_OK);
	assert_memory_equal(v.ciphertext, "sealed-value", 12);
	version_record_cleanup(&v);
	store_rollback(txn);
}

static void
test_reader_sees_committed_state_only(void **state)
{
	struct fixture	*f = *state;
	struct secret_record rec;
	struct store_txn *writer, *reader;

	writer = txn_begin(f, true);
	secret_add(writer, "111122223333", "us-east-1", "in-flight");
	reader = txn_begin(f, false);
	memset(&rec, 0, sizeof(rec));
	assert_int_equal(store_secret_get_by_name(reader, "111122223333",
	    "us-east-1", "in-flight", &rec), STATUS_NOT_FOUND);
	store_rollback(reader);
	assert_int_equal(store_commit(writer), STATUS_OK);
}

struct writer_arg {
	struct store	*st;
	const char	*prefix;
	int		 count;
	enum status	 result;
};

#define WRITER_SECRETS	40

static void *
writer_run(void *p)
{
	struct writer_arg *arg = p;
	struct secret_record rec;
	struct store_txn *txn;
	char		 name[64], arn[128];

	arg->result = STATUS_OK;
	for (int i = 0; i < arg->count; i++) {
		snprintf(name, sizeof(name), "%s-%d", arg->prefix, i);
		snprintf(arn, sizeof(arn), "arn:aws:secretsmanager:us-east-1:"
		    "111122223333:secret:%s", name);
		memset(&rec, 0, sizeof(rec));
		rec.account_id = (char *)"111122223333";
		rec.region = (char *)"us-east-1";
		rec.name = name;
		rec.arn = arn;
		rec.created_at = i;
		if ((arg->result = store_begin(arg->st, true, &txn)) !=
		    STATUS_OK)
			break;
		if ((arg->result = store_secret_insert(txn, &rec)) !=
		    STATUS_OK) {
			store_rollback(txn);
			break;
		}
		if ((arg->result = store_commit(txn)) != STATUS_OK)
			break;
	}
	return NULL;
}

static void
test_two_threads_write_concurrently(void **state)
{
	struct fixture	*f = *state;
	struct writer_arg args[2] = {
		{ f->st, "left", WRITER_SECRETS, STATUS_INTERNAL },
		{ f->st, "right", WRITER_SECRETS, STATUS_INTERNAL },
	};
	struct store_list_query q;
	struct secret_record *recs = NULL;
	struct store_txn *txn;
	pthread_t	 threads[2];
	size_t		 count = 0;

	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, writer_run,
		    &args[i]), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_join(threads[i], NULL), 0);
	assert_int_equal(args[0].result, STATUS_OK);
	assert_int_equal(args[1].result, STATUS_OK);

	txn = txn_begin(f, false);
	memset(&q, 0, sizeof(q));
	q.account_id = "111122223333";
	q.region = "us-east-1";
	q.limit = 1000;
	assert_int_equal(store_secret_list(txn, &q, &recs, &count), STATUS_OK);
	assert_int_equal(count, 2 * WRITER_SECRETS);
	for (size_t i = 1; i < count; i++)
		assert_true(recs[i].id > recs[i - 1].id);
	secret_records_free(recs, count);
	store_rollback(txn);
}

/*
 * Many writers at once share commits (group commit): what each committed
 * is there, what each rolled back is not, and a write that fails inside a
 * shared transaction (a duplicate name) undoes only itself.
 */
#define MIXED_WRITERS		8
#define MIXED_ROUNDS		30

struct mixed_arg {
	struct store	*st;
	int		 index;
	int		 committed;
	enum status	 result;
};

static enum status
mixed_insert(struct store_txn *txn, int writer, int round)
{
	struct secret_record rec;
	char		 name[64], arn[128];

	snprintf(name, sizeof(name), "mixed-%d-%d", writer, round);
	snprintf(arn, sizeof(arn), "arn:aws:secretsmanager:us-east-1:"
	    "111122223333:secret:%s", name);
	memset(&rec, 0, sizeof(rec));
	rec.account_id = (char *)"111122223333";
	rec.region = (char *)"us-east-1";
	rec.name = name;
	rec.arn = arn;
	rec.created_at = round;
	return store_secret_insert(txn, &rec);
}

static void *
mixed_writer_run(void *p)
{
	struct mixed_arg *arg = p;
	struct store_txn *txn;
	enum status	 st;

	arg->result = STATUS_OK;
	for (int round = 0; round < MIXED_ROUNDS; round++) {
		if ((st = store_begin(arg->st, true, &txn)) != STATUS_OK)
			goto fail;
		if ((st = mixed_insert(txn, arg->index, round)) != STATUS_OK) {
			store_rollback(txn);
			goto fail;
		}
		if (round % 3 == 2) {
			store_rollback(txn);	/* never seen again */
			continue;
		}
		/* A name committed in round 0: refused, and undoing that
		 * statement must not undo this round's insert. */
		if (round % 5 == 1 &&
		    (st = mixed_insert(txn, arg->index, 0)) != STATUS_EXISTS) {
			store_rollback(txn);
			st = STATUS_INTERNAL;
			goto fail;
		}
		if ((st = store_commit(txn)) != STATUS_OK)
			goto fail;
		arg->committed++;
	}
	return NULL;
fail:
	arg->result = st;
	return NULL;
}

static void
test_group_commit_keeps_commits_and_drops_rollbacks(void **state)
{
	struct fixture	*f = *state;
	struct mixed_arg args[MIXED_WRITERS];
	pthread_t	 threads[MIXED_WRITERS];
	struct secret_record rec;
	struct store_txn *txn;
	char		 name[64];
	int		 expected = 0;

	for (int i = 0; i < MIXED_WRITERS; i++) {
		args[i] = (struct mixed_arg){ f->st, i, 0, STATUS_INTERNAL };
		assert_int_equal(pthread_create(&threads[i], NULL,
		    mixed_writer_run, &args[i]), 0);
	}
	for (int i = 0; i < MIXED_WRITERS; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(args[i].result, STATUS_OK);
		expected += args[i].committed;
	}
	assert_int_equal(expected, MIXED_WRITERS * (MIXED_ROUNDS -
	    MIXED_ROUNDS / 3));

	/* After a reopen: what was acknowledged is on disk. */
	fixture_reopen(f);
	txn = txn_begin(f, false);
	for (int w = 0; w < MIXED_WRITERS; w++)
		for (int round = 0; round < MIXED_ROUNDS; round++) {
			snprintf(name, sizeof(name), "mixed-%d-%d", w, round);
			memset(&rec, 0, sizeof(rec));
			assert_int_equal(store_secret_get_by_name(txn,
			    "111122223333", "us-east-1", name, &rec),
			    round % 3 == 2 ? STATUS_NOT_FOUND : STATUS_OK);
			secret_record_cleanup(&rec);
		}
	store_rollback(txn);
}

/* ---- SQLite only ---- */

static void
test_non_database_file_is_refused(void **state)
{
	struct fixture	*f = *state;
	static const char junk[] =
	    "this is not a database, and Sesame must not write over it. "
	    "padding padding padding padding padding padding padding padding "
	    "padding padding padding padding padding padding padding padding";
	char		 back[sizeof(junk)];
	struct error	 err;
	FILE		*fp;

	assert_non_null(fp = fopen(f->path, "w"));
	assert_int_equal(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
	assert_int_equal(fclose(fp), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(fixture_open(f, &err), STATUS_CORRUPT);
	assert_null(f->st);
	assert_int_equal(err.status, STATUS_CORRUPT);
	assert_null(strstr(err.message, f->dir));

	assert_non_null(fp = fopen(f->path, "r"));
	assert_int_equal(fread(back, 1, sizeof(back), fp), sizeof(junk));
	assert_int_equal(fgetc(fp), EOF);
	fclose(fp);
	assert_memory_equal(back, junk, sizeof(junk));
}

static void
test_foreign_sqlite_database_is_refused(void **state)
{
	struct fixture	*f = *state;
	struct error	 err;
	sqlite3		*db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE notes (body TEXT)",
	    NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(fixture_open(f, &err), STATUS_CORRUPT);
	assert_null(f->st);
}

/* The whole file, for a before-and-after comparison; *len its size. */
static unsigned char *
file_read_all(const char *path, size_t *len)
{
	unsigned char	*buf;
	struct stat	 sb;
	FILE		*fp;

	assert_int_equal(stat(path, &sb), 0);
	assert_non_null(buf = malloc((size_t)sb.st_size + 1));
	assert_non_null(fp = fopen(path, "r"));
	assert_int_equal(fread(buf, 1, (size_t)sb.st_size, fp),
	    (size_t)sb.st_size);
	fclose(fp);
	*len = (size_t)sb.st_size;
	return buf;
}

/*
 * A rollback-journal file of another program is refused before anything
 * writes to it: switching it to WAL alone would rewrite bytes 18-19 of its
 * header.
 */
static void
test_foreign_database_is_left_byte_for_byte(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*before, *after;
	size_t		 before_len, after_len;
	struct error	 err;
	sqlite3		*db;

	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA application_id = 1234;"
	    "CREATE TABLE notes (body TEXT);"
	    "INSERT INTO notes VALUES ('precious')", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	before = file_read_all(f->path, &before_len);
	memset(&err, 0, sizeof(err));
	assert_int_equal(fixture_open(f, &err), STATUS_CORRUPT);
	assert_null(f->st);
	assert_non_null(strstr(err.message, "another program"));
	after = file_read_all(f->path, &after_len);
	assert_int_equal(after_len, before_len);
	assert_memory_equal(after, before, before_len);
	free(before);
	free(after);
}

/* A b-tree page overwritten with junk is found when the store opens, not
 * by the first request that reads it. */
static void
test_damaged_page_is_refused_at_open(void **state)
{
	struct fixture	*f = *state;
	struct store_txn *txn;
	unsigned char	 value[1000], *junk, *before, *after, *header;
	size_t		 page_size, pages, before_len, after_len, header_len;
	struct error	 err;
	char		 key[32];
	FILE		*fp;

	memset(value, 'v', sizeof(value));
	txn = txn_begin(f, true);
	for (int i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "key-%03d", i);
		assert_int_equal(store_meta_put(txn, key, value,
		    sizeof(value)), STATUS_OK);
	}
	assert_int_equal(store_commit(txn), STATUS_OK);
	/* The last connection's close folds the WAL into the file. */
	store_close(f->st);
	f->st = NULL;

	header = file_read_all(f->path, &header_len);
	page_size = (size_t)header[16] << 8 | header[17];
	if (page_size == 1)
		page_size = 65536;
	free(header);
	pages = header_len / page_size;
	assert_true(pages > 20);
	assert_non_null(junk = malloc(page_size));
	memset(junk, 0xa5, page_size);
	assert_non_null(fp = fopen(f->path, "r+"));
	assert_int_equal(fseek(fp, (long)(page_size * (pages / 2)), SEEK_SET),
	    0);
	assert_int_equal(fwrite(junk, 1, page_size, fp), page_size);
	assert_int_equal(fclose(fp), 0);
	free(junk);

	before = file_read_all(f->path, &before_len);
	memset(&err, 0, sizeof(err));
	assert_int_equal(fixture_open(f, &err), STATUS_CORRUPT);
	assert_null(f->st);
	assert_int_equal(err.status, STATUS_CORRUPT);
	assert_non_null(strstr(err.message, "damaged"));
	assert_null(strstr(err.message, f->dir));
	after = file_read_all(f->path, &after_len);
	assert_int_equal(after_len, before_len);
	assert_memory_equal(after, before, before_len);
	free(before);
	free(after);
}

static void
test_newer_schema_is_refused(void **state)
{
	struct fixture	*f = *state;
	struct error	 err;
	sqlite3		*db;

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 9999", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(fixture_open(f, &err), STATUS_CORRUPT);
	assert_null(f->st);
	assert_non_null(strstr(err.message, "newer"));
}

static void
test_database_uses_wal_and_records_schema(void **state)
{
	struct fixture	*f = *state;
	sqlite3_stmt	*s;
	sqlite3		*db;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_true(sqlite3_column_int(s, 0) >= 1);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_database_file_is_private,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_file_mode_is_0600_whatever_the_umask, setup_empty,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_reopen_keeps_schema_and_data, setup, teardown),
		cmocka_unit_test(test_unknown_backend_is_invalid_parameter),
		cmocka_unit_test_setup_teardown(
		    test_missing_arguments_are_internal_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kept_reads_see_every_commit,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_wal_index_keeps_sqlite_locks,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_meta_put_get_and_replace,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_account_put_twice_is_exists,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_access_key_round_trip,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_kms_key_and_alias, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_secret_insert_get_update,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_secret_name_is_unique_per_account_and_region, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_secret_delete_removes_versions_stages_and_tags, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_secret_list_pages_by_id,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_secret_ids_are_never_reused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_tags_are_replaced_and_sorted,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_insert_and_get,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_list_is_newest_first,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_stage_move_takes_label_off_old_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stage_remove, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_rollback_discards_writes,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_data_persists_after_reopen,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_reader_sees_committed_state_only, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_group_commit_keeps_commits_and_drops_rollbacks, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_two_threads_write_concurrently, setup, teardown),
		cmocka_unit_test_setup_teardown(test_non_database_file_is_refused,
		    setup_empty, teardown),
		cmocka_unit_test_setup_teardown(
		    test_foreign_sqlite_database_is_refused, setup_empty,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_foreign_database_is_left_byte_for_byte, setup_empty,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_damaged_page_is_refused_at_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_is_refused,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_database_uses_wal_and_records_schema, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
