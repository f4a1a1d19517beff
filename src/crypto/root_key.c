/*
 * root_key.c: loads, parses and creates the root key, the one key that is
 * never stored with the data.
 *
 * A key file holds exactly 64 hex characters and optionally one '\n'.  It is
 * refused when its mode gives group or others any access: the check is made
 * with fstat on the descriptor that is then read, so the file checked is the
 * file read.  Error messages name the file and the problem, never the key;
 * they are for the operator at start-up (paths are fine there), not for
 * clients.  Every stack copy of key bytes or hex is wiped before returning.
 *
 * Thread-safety: no shared state; safe from any thread.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "crypto/crypto.h"

#define ROOT_KEY_HEX_LEN	(2 * CRYPTO_KEY_LEN)

/* The value of hex digit c, or -1; branch-free so the key does not leak. */
static int
root_key_hex_value(int c)
{
	int	 v = -1;

	v += (((0x2f - c) & (c - 0x3a)) >> 8) & (c - 47);	/* 0-9 */
	v += (((0x40 - c) & (c - 0x47)) >> 8) & (c - 54);	/* A-F */
	v += (((0x60 - c) & (c - 0x67)) >> 8) & (c - 86);	/* a-f */
	return v;
}

/* Decode exactly ROOT_KEY_HEX_LEN hex characters into a new secret_buf. */
static enum status
root_key_decode(const char *hex, size_t hex_len, struct secret_buf **out)
{
	enum status	 st = STATUS_INVALID_REQUEST;
	struct secret_buf *key = NULL;
	int		 hi = 0, lo = 0, bad = 0;
	size_t		 i;

	if (hex_len != ROOT_KEY_HEX_LEN)
		goto out;
	if ((key = secret_buf_new(CRYPTO_KEY_LEN)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	for (i = 0; i < CRYPTO_KEY_LEN; i++) {
		hi = root_key_hex_value((unsigned char)hex[2 * i]);
		lo = root_key_hex_value((unsigned char)hex[2 * i + 1]);
		bad |= hi | lo;
		key->data[i] = (unsigned char)((hi & 0x0f) << 4 | (lo & 0x0f));
	}
	key->len = CRYPTO_KEY_LEN;
	if (bad < 0)
		goto out;
	*out = key;
	key = NULL;
	st = STATUS_OK;
out:
	OPENSSL_cleanse(&hi, sizeof(hi));
	OPENSSL_cleanse(&lo, sizeof(lo));
	secret_buf_free(key);
	return st;
}

enum status
root_key_parse_hex(const char *hex, struct secret_buf **out, struct error *err)
{
	enum status	 st;

	if (hex == NULL || out == NULL)
		return error_set(err, STATUS_INTERNAL, "no root key given");
	st = root_key_decode(hex, strlen(hex), out);
	if (st == STATUS_INVALID_REQUEST)
		error_set(err, st, "the root key must be %d hex characters "
		    "(32 bytes)", ROOT_KEY_HEX_LEN);
	else if (st != STATUS_OK)
		error_set(err, st, "cannot decode the root key: out of memory");
	return st;
}

enum status
root_key_load_file(const char *path, struct secret_buf **out,
    struct error *err)
{
	enum status	 st = STATUS_INTERNAL;
	struct secret_buf *key = NULL;
	/* Room for the key, a newline, and one byte to detect anything more. */
	char		 buf[ROOT_KEY_HEX_LEN + 2];
	size_t		 len = 0;
	ssize_t		 n;
	struct stat	 sb;
	int		 fd = -1;

	if (path == NULL || out == NULL) {
		error_set(err, st, "no root key file given");
		goto out;
	}
	/* O_NONBLOCK: a FIFO planted at path must not hang start-up. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
	    -1) {
		st = error_set(err, STATUS_IO,
		    "cannot open root key file %s: %s", path, strerror(errno));
		goto out;
	}
	if (fstat(fd, &sb) == -1) {
		st = error_set(err, STATUS_IO,
		    "cannot stat root key file %s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		st = error_set(err, STATUS_INVALID_REQUEST,
		    "root key file %s is not a regular file", path);
		goto out;
	}
	if ((sb.st_mode & 077) != 0) {
		st = error_set(err, STATUS_INVALID_REQUEST,
		    "root key file %s has permissions %04o; it must not be "
		    "accessible by group or others (chmod 600)", path,
		    (unsigned)(sb.st_mode & 07777));
		goto out;
	}
	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			st = error_set(err, STATUS_IO,
			    "cannot read root key file %s: %s", path,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len == ROOT_KEY_HEX_LEN + 1 && buf[ROOT_KEY_HEX_LEN] == '\n')
		len--;
	if ((st = root_key_decode(buf, len, &key)) != STATUS_OK) {
		if (st == STATUS_INVALID_REQUEST)
			error_set(err, st, "root key file %s must hold "
			    "exactly %d hex characters and an optional newline",
			    path, ROOT_KEY_HEX_LEN);
		else
			error_set(err, st, "cannot load root key file %s: "
			    "out of memory", path);
		goto out;
	}
	*out = key;
	key = NULL;
	st = STATUS_OK;
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	secret_buf_free(key);
	if (fd != -1)
		close(fd);
	return st;
}

/* Write all of buf to fd; -1 with errno set on failure. */
static int
root_key_write_all(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = write(fd, buf, len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* fsync the directory holding path, so the new entry survives a crash. */
static int
root_key_sync_parent(const char *path)
{
	char	*copy = NULL;
	int	 fd = -1, rc = -1, saved_errno;

	if ((copy = strdup(path)) == NULL)
		goto out;
	if ((fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) ==
	    -1)
		goto out;
	if (fsync(fd) == -1)
		goto out;
	rc = 0;
out:
	saved_errno = errno;
	if (fd != -1)
		close(fd);
	free(copy);
	errno = saved_errno;
	return rc;
}

enum status
root_key_generate_file(const char *path, struct error *err)
{
	enum status	 st = STATUS_INTERNAL;
	unsigned char	 key[CRYPTO_KEY_LEN];
	char		 hex[ROOT_KEY_HEX_LEN + 2];
	int		 fd = -1;
	bool		 is_created = false;

	if (path == NULL) {
		error_set(err, st, "no root key file given");
		goto out;
	}
	if ((st = random_bytes(key, sizeof(key))) != STATUS_OK) {
		error_set(err, st, "cannot generate a root key: no randomness");
		goto out;
	}
	hex_encode(key, sizeof(key), hex);
	hex[ROOT_KEY_HEX_LEN] = '\n';
	hex[ROOT_KEY_HEX_LEN + 1] = '\0';

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
	    0600);
	if (fd == -1) {
		if (errno == EEXIST)
			st = error_set(err, STATUS_EXISTS,
			    "root key file %s already exists; not overwriting "
			    "it", path);
		else
			st = error_set(err, STATUS_IO,
			    "cannot create root key file %s: %s", path,
			    strerror(errno));
		goto out;
	}
	is_created = true;
	if (root_key_write_all(fd, hex, ROOT_KEY_HEX_LEN + 1) == -1 ||
	    fsync(fd) == -1) {
		st = error_set(err, STATUS_IO,
		    "cannot write root key file %s: %s", path, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		st = error_set(err, STATUS_IO,
		    "cannot write root key file %s: %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (root_key_sync_parent(path) == -1) {
		st = error_set(err, STATUS_IO,
		    "cannot sync the directory of root key file %s: %s", path,
		    strerror(errno));
		goto out;
	}
	st = STATUS_OK;
out:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_cleanse(hex, sizeof(hex));
	if (fd != -1)
		close(fd);
	/* A half-written key file would only make the next attempt fail. */
	if (st != STATUS_OK && is_created)
		unlink(path);
	return st;
}

enum status
root_key_generate(struct secret_buf **out)
{
	struct secret_buf *key;
	enum status	 st;

	if ((key = secret_buf_new(CRYPTO_KEY_LEN)) == NULL)
		return STATUS_NO_MEMORY;
	if ((st = random_bytes(key->data, CRYPTO_KEY_LEN)) != STATUS_OK) {
		secret_buf_free(key);
		return st;
	}
	key->len = CRYPTO_KEY_LEN;
	*out = key;
	return STATUS_OK;
}

enum status
root_key_write_file(const char *path, const struct secret_buf *key,
    struct error *err)
{
	enum status	 st = STATUS_INTERNAL;
	char		 hex[ROOT_KEY_HEX_LEN + 2];
	char		*tmp = NULL;
	int		 fd = -1;

	if (path == NULL || key == NULL || key->len != CRYPTO_KEY_LEN) {
		error_set(err, st, "no root key file given");
		goto out;
	}
	if (asprintf(&tmp, "%s.tmp", path) < 0) {
		tmp = NULL;
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	hex_encode(key->data, key->len, hex);
	hex[ROOT_KEY_HEX_LEN] = '\n';
	hex[ROOT_KEY_HEX_LEN + 1] = '\0';
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1 ||
	    fchmod(fd, 0600) == -1 ||
	    root_key_write_all(fd, hex, ROOT_KEY_HEX_LEN + 1) == -1 ||
	    fsync(fd) == -1) {
		st = error_set(err, STATUS_IO, "cannot write root key file "
		    "%s: %s", tmp, strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		st = error_set(err, STATUS_IO, "cannot write root key file "
		    "%s: %s", tmp, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1 || root_key_sync_parent(path) == -1) {
		st = error_set(err, STATUS_IO, "cannot replace root key file "
		    "%s: %s", path, strerror(errno));
		goto out;
	}
	st = STATUS_OK;
out:
	OPENSSL_cleanse(hex, sizeof(hex));
	if (fd != -1)
		close(fd);
	if (st != STATUS_OK && tmp != NULL)
		(void)unlink(tmp);
	free(tmp);
	return st;
}

#define SECRET_FILE_MAX	1024

enum status
secret_file_load(const char *path, struct secret_buf **out, struct error *err)
{
	enum status	 st = STATUS_INTERNAL;
	struct secret_buf *sb = NULL;
	struct stat	 sbuf;
	ssize_t		 n;
	int		 fd = -1;

	if (path == NULL || out == NULL) {
		error_set(err, st, "no file given");
		goto out;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) ==
	    -1) {
		st = error_set(err, STATUS_IO, "cannot open %s: %s", path,
		    strerror(errno));
		goto out;
	}
	if (fstat(fd, &sbuf) == -1 || !S_ISREG(sbuf.st_mode)) {
		st = error_set(err, STATUS_INVALID_REQUEST,
		    "%s is not a regular file", path);
		goto out;
	}
	if ((sbuf.st_mode & 077) != 0) {
		st = error_set(err, STATUS_INVALID_REQUEST,
		    "%s has permissions %04o; it must not be accessible by "
		    "group or others (chmod 600)", path,
		    (unsigned)(sbuf.st_mode & 07777));
		goto out;
	}
	if ((sb = secret_buf_new(SECRET_FILE_MAX + 1)) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	while (sb->len <= SECRET_FILE_MAX) {
		n = read(fd, sb->data + sb->len, SECRET_FILE_MAX + 1 - sb->len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			st = error_set(err, STATUS_IO, "cannot read %s: %s",
			    path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		sb->len += (size_t)n;
	}
	if (sb->len > SECRET_FILE_MAX) {
		st = error_set(err, STATUS_INVALID_REQUEST, "%s is too long",
		    path);
		goto out;
	}
	if (sb->len > 0 && sb->data[sb->len - 1] == '\n')
		sb->len--;
	if (sb->len > 0 && sb->data[sb->len - 1] == '\r')
		sb->len--;
	sb->data[sb->len] = '\0';
	*out = sb;
	sb = NULL;
	st = STATUS_OK;
out:
	secret_buf_free(sb);
	if (fd != -1)
		close(fd);
	return st;
}
