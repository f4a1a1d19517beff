/*
 * root_key_pkcs11.c: the root key kept under a key that never leaves a
 * PKCS#11 token (an HSM, a smart card, SoftHSM2).
 *
 * The token holds an AES-256 secret key object (CKA_TOKEN, CKA_PRIVATE,
 * CKA_SENSITIVE, not CKA_EXTRACTABLE) found by its CKA_LABEL.  The 32-byte
 * root key lives in a file beside the configuration, encrypted by the token
 * with CKM_AES_GCM:
 *
 *	0x01 | iv(12) | ciphertext(32) | tag(16)     AAD "sesame-root-pkcs11-v1"
 *
 * The file alone is useless without the token and its PIN; the token alone
 * holds no data key.  Why C_Encrypt/C_Decrypt with GCM rather than
 * C_WrapKey/C_UnwrapKey: unwrapping would create a token object that then
 * has to be extractable for the key to reach this process anyway, and GCM
 * authenticates the file (a flipped bit is refused before any use).
 *
 * The module is loaded with dlopen at the moment of use and finalised
 * straight after: the server talks to the token only at start-up (and
 * when it learns a rotated root key), never per request.
 *
 * Thread-safety: each call initialises and finalises the module itself;
 * calls must not run concurrently with each other (start-up and the admin
 * command are single-threaded; the keyring's load hook is serialised by
 * data_dir.c).
 */
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include <p11-kit-1/p11-kit/pkcs11.h>

#include "common/log.h"
#include "crypto/crypto.h"

#define P11_FILE_VERSION	0x01
#define P11_AAD			"sesame-root-pkcs11-v1"
#define P11_FILE_LEN		(1 + CRYPTO_NONCE_LEN + CRYPTO_KEY_LEN + \
				    CRYPTO_TAG_LEN)

struct p11_session {
	void			*module;
	CK_FUNCTION_LIST_PTR	 fn;
	CK_SESSION_HANDLE	 session;
	bool			 is_initialized;
	bool			 has_session;
	bool			 is_logged_in;
};

static void
p11_close(struct p11_session *p)
{
	if (p->is_logged_in)
		(void)p->fn->C_Logout(p->session);
	if (p->has_session)
		(void)p->fn->C_CloseSession(p->session);
	if (p->is_initialized)
		(void)p->fn->C_Finalize(NULL);
	if (p->module != NULL)
		dlclose(p->module);
	memset(p, 0, sizeof(*p));
}

/* Copy a blank-padded PKCS#11 label into a C string. */
static void
p11_label(const unsigned char *padded, size_t len, char *out, size_t out_len)
{
	size_t n = len < out_len - 1 ? len : out_len - 1;

	memcpy(out, padded, n);
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
		n--;
	out[n] = '\0';
}

/* Load the module, find the token, open a session and log in. */
static enum status
p11_open(const struct pkcs11_config *cfg, struct p11_session *p,
    struct error *err)
{
	CK_C_GetFunctionList	 get_list;
	CK_SLOT_ID		*slots = NULL;
	CK_ULONG		 slot_count = 0, i;
	CK_TOKEN_INFO		 info;
	CK_RV			 rv;
	char			 label[40];
	bool			 is_found = false;
	enum status		 st = STATUS_IO;
	CK_SLOT_ID		 slot = 0;

	memset(p, 0, sizeof(*p));
	if (cfg == NULL || cfg->module == NULL || cfg->key_label == NULL ||
	    cfg->pin == NULL || cfg->wrapped_file == NULL) {
		st = error_set(err, STATUS_INVALID_PARAMETER, "the PKCS#11 root "
		    "key source needs pkcs11-module, pkcs11-key-label, a PIN "
		    "and pkcs11-wrapped-key-file");
		goto out;
	}
	if ((p->module = dlopen(cfg->module, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		st = error_set(err, STATUS_IO, "cannot load PKCS#11 module %s: "
		    "%s", cfg->module, dlerror());
		goto out;
	}
	*(void **)&get_list = dlsym(p->module, "C_GetFunctionList");
	if (get_list == NULL || get_list(&p->fn) != CKR_OK || p->fn == NULL) {
		st = error_set(err, STATUS_IO, "%s is not a PKCS#11 module",
		    cfg->module);
		goto out;
	}
	if ((rv = p->fn->C_Initialize(NULL)) != CKR_OK &&
	    rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
		st = error_set(err, STATUS_IO, "PKCS#11 C_Initialize failed "
		    "(0x%lx)", (unsigned long)rv);
		goto out;
	}
	p->is_initialized = rv == CKR_OK;
	if ((rv = p->fn->C_GetSlotList(CK_TRUE, NULL, &slot_count)) != CKR_OK ||
	    slot_count == 0) {
		st = error_set(err, STATUS_NOT_FOUND, "no PKCS#11 token is "
		    "present (module %s)", cfg->module);
		goto out;
	}
	if ((slots = calloc(slot_count, sizeof(*slots))) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	if ((rv = p->fn->C_GetSlotList(CK_TRUE, slots, &slot_count)) !=
	    CKR_OK) {
		st = error_set(err, STATUS_IO, "PKCS#11 C_GetSlotList failed "
		    "(0x%lx)", (unsigned long)rv);
		goto out;
	}
	for (i = 0; i < slot_count && !is_found; i++) {
		if (p->fn->C_GetTokenInfo(slots[i], &info) != CKR_OK)
			continue;
		p11_label(info.label, sizeof(info.label), label, sizeof(label));
		if (cfg->token_label == NULL ||
		    strcmp(label, cfg->token_label) == 0) {
			slot = slots[i];
			is_found = true;
		}
	}
	if (!is_found) {
		st = error_set(err, STATUS_NOT_FOUND, "no PKCS#11 token labelled "
		    "\"%s\"", cfg->token_label != NULL ? cfg->token_label : "");
		goto out;
	}
	if ((rv = p->fn->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION,
	    NULL, NULL, &p->session)) != CKR_OK) {
		st = error_set(err, STATUS_IO, "cannot open a PKCS#11 session "
		    "(0x%lx)", (unsigned long)rv);
		goto out;
	}
	p->has_session = true;
	rv = p->fn->C_Login(p->session, CKU_USER, cfg->pin->data,
	    (CK_ULONG)cfg->pin->len);
	if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
		st = error_set(err, STATUS_ACCESS_DENIED, "cannot log in to the "
		    "PKCS#11 token (0x%lx%s)", (unsigned long)rv,
		    rv == CKR_PIN_INCORRECT ? ": wrong PIN" : "");
		goto out;
	}
	p->is_logged_in = rv == CKR_OK;
	st = STATUS_OK;
out:
	free(slots);
	if (st != STATUS_OK)
		p11_close(p);
	return st;
}

/* The secret key labelled cfg->key_label: STATUS_NOT_FOUND when none. */
static enum status
p11_key_find(const struct pkcs11_config *cfg, struct p11_session *p,
    CK_OBJECT_HANDLE *out, struct error *err)
{
	CK_OBJECT_CLASS	 klass = CKO_SECRET_KEY;
	CK_ATTRIBUTE	 tmpl[] = {
		{ CKA_CLASS, &klass, sizeof(klass) },
		{ CKA_LABEL, (void *)cfg->key_label, strlen(cfg->key_label) },
	};
	CK_OBJECT_HANDLE handles[2];
	CK_ULONG	 count = 0;
	CK_RV		 rv;

	if ((rv = p->fn->C_FindObjectsInit(p->session, tmpl, 2)) != CKR_OK)
		return error_set(err, STATUS_IO, "PKCS#11 C_FindObjectsInit "
		    "failed (0x%lx)", (unsigned long)rv);
	rv = p->fn->C_FindObjects(p->session, handles, 2, &count);
	(void)p->fn->C_FindObjectsFinal(p->session);
	if (rv != CKR_OK)
		return error_set(err, STATUS_IO, "PKCS#11 C_FindObjects failed "
		    "(0x%lx)", (unsigned long)rv);
	if (count == 0)
		return error_set(err, STATUS_NOT_FOUND, "the PKCS#11 token has "
		    "no secret key labelled \"%s\"", cfg->key_label);
	if (count > 1)
		return error_set(err, STATUS_INVALID_REQUEST, "the PKCS#11 token "
		    "has several secret keys labelled \"%s\"", cfg->key_label);
	*out = handles[0];
	return STATUS_OK;
}

/* Create the token key: AES-256, sensitive, never extractable. */
static enum status
p11_key_generate(const struct pkcs11_config *cfg, struct p11_session *p,
    CK_OBJECT_HANDLE *out, struct error *err)
{
	CK_MECHANISM	 mech = { CKM_AES_KEY_GEN, NULL, 0 };
	CK_OBJECT_CLASS	 klass = CKO_SECRET_KEY;
	CK_KEY_TYPE	 type = CKK_AES;
	CK_ULONG	 len = CRYPTO_KEY_LEN;
	CK_BBOOL	 yes = CK_TRUE, no = CK_FALSE;
	CK_ATTRIBUTE	 tmpl[] = {
		{ CKA_CLASS, &klass, sizeof(klass) },
		{ CKA_KEY_TYPE, &type, sizeof(type) },
		{ CKA_VALUE_LEN, &len, sizeof(len) },
		{ CKA_LABEL, (void *)cfg->key_label, strlen(cfg->key_label) },
		{ CKA_TOKEN, &yes, sizeof(yes) },
		{ CKA_PRIVATE, &yes, sizeof(yes) },
		{ CKA_SENSITIVE, &yes, sizeof(yes) },
		{ CKA_EXTRACTABLE, &no, sizeof(no) },
		{ CKA_ENCRYPT, &yes, sizeof(yes) },
		{ CKA_DECRYPT, &yes, sizeof(yes) },
	};
	CK_RV		 rv;

	if ((rv = p->fn->C_GenerateKey(p->session, &mech, tmpl,
	    sizeof(tmpl) / sizeof(tmpl[0]), out)) != CKR_OK)
		return error_set(err, STATUS_IO, "cannot create the AES key "
		    "\"%s\" in the PKCS#11 token (0x%lx)", cfg->key_label,
		    (unsigned long)rv);
	log_info("created the AES-256 key \"%s\" in the PKCS#11 token",
	    cfg->key_label);
	return STATUS_OK;
}

static void
p11_gcm_params(CK_GCM_PARAMS *gcm, unsigned char *iv)
{
	memset(gcm, 0, sizeof(*gcm));
	gcm->pIv = iv;
	gcm->ulIvLen = CRYPTO_NONCE_LEN;
	gcm->ulIvBits = CRYPTO_NONCE_LEN * 8;
	gcm->pAAD = (unsigned char *)P11_AAD;
	gcm->ulAADLen = sizeof(P11_AAD) - 1;
	gcm->ulTagBits = CRYPTO_TAG_LEN * 8;
}

static enum status
p11_file_read(const char *path, unsigned char buf[P11_FILE_LEN],
    struct error *err)
{
	struct stat	 sb;
	ssize_t		 n;
	size_t		 len = 0;
	unsigned char	 extra;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return error_set(err, STATUS_IO, "cannot open the wrapped root "
		    "key file %s: %s", path, strerror(errno));
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return error_set(err, STATUS_INVALID_REQUEST, "%s is not a "
		    "regular file", path);
	}
	while (len < P11_FILE_LEN) {
		n = read(fd, buf + len, P11_FILE_LEN - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	n = read(fd, &extra, 1);
	close(fd);
	if (len != P11_FILE_LEN || n != 0 || buf[0] != P11_FILE_VERSION)
		return error_set(err, STATUS_CORRUPT, "%s is not a wrapped root "
		    "key file of this version", path);
	return STATUS_OK;
}

static enum status
p11_file_write(const char *path, const unsigned char buf[P11_FILE_LEN],
    struct error *err)
{
	char		*tmp = NULL;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd = -1;
	enum status	 st = STATUS_IO;

	if (asprintf(&tmp, "%s.tmp", path) < 0) {
		tmp = NULL;
		return error_set(err, STATUS_NO_MEMORY, "out of memory");
	}
	(void)unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0600)) == -1)
		goto fail;
	while (off < P11_FILE_LEN) {
		n = write(fd, buf + off, P11_FILE_LEN - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			goto fail;
		off += (size_t)n;
	}
	if (fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	st = STATUS_OK;
	free(tmp);
	return st;
fail:
	error_set(err, STATUS_IO, "cannot write the wrapped root key file %s: "
	    "%s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	(void)unlink(tmp);
	free(tmp);
	return st;
}

enum status
root_key_pkcs11_load(const struct pkcs11_config *cfg, struct secret_buf **out,
    struct error *err)
{
	struct p11_session p;
	struct secret_buf *key = NULL;
	unsigned char	 file[P11_FILE_LEN], iv[CRYPTO_NONCE_LEN];
	CK_GCM_PARAMS	 gcm;
	CK_MECHANISM	 mech;
	CK_OBJECT_HANDLE handle;
	CK_ULONG	 out_len;
	CK_RV		 rv;
	enum status	 st;

	memset(&p, 0, sizeof(p));
	if ((st = p11_open(cfg, &p, err)) != STATUS_OK)
		goto out;
	if ((st = p11_file_read(cfg->wrapped_file, file, err)) != STATUS_OK)
		goto out;
	if ((st = p11_key_find(cfg, &p, &handle, err)) != STATUS_OK)
		goto out;
	memcpy(iv, file + 1, sizeof(iv));
	p11_gcm_params(&gcm, iv);
	mech.mechanism = CKM_AES_GCM;
	mech.pParameter = &gcm;
	mech.ulParameterLen = sizeof(gcm);
	/* Room for the plaintext only: a token may check the buffer size. */
	if ((key = secret_buf_new(CRYPTO_KEY_LEN + CRYPTO_TAG_LEN)) == NULL) {
		st = error_set(err, STATUS_NO_MEMORY, "out of memory");
		goto out;
	}
	out_len = (CK_ULONG)(key->cap - 1);
	if ((rv = p.fn->C_DecryptInit(p.session, &mech, handle)) != CKR_OK ||
	    (rv = p.fn->C_Decrypt(p.session, file + 1 + CRYPTO_NONCE_LEN,
	    CRYPTO_KEY_LEN + CRYPTO_TAG_LEN, key->data, &out_len)) != CKR_OK ||
	    out_len != CRYPTO_KEY_LEN) {
		st = error_set(err, STATUS_DECRYPTION_FAILURE, "the PKCS#11 "
		    "token key \"%s\" does not open %s (wrong key or altered "
		    "file)", cfg->key_label, cfg->wrapped_file);
		goto out;
	}
	key->len = CRYPTO_KEY_LEN;
	key->data[key->len] = '\0';
	*out = key;
	key = NULL;
	st = STATUS_OK;
out:
	secret_buf_free(key);
	p11_close(&p);
	return st;
}

enum status
root_key_pkcs11_store(const struct pkcs11_config *cfg,
    const struct secret_buf *root_key, struct error *err)
{
	struct p11_session p;
	unsigned char	 file[P11_FILE_LEN], iv[CRYPTO_NONCE_LEN];
	CK_GCM_PARAMS	 gcm;
	CK_MECHANISM	 mech;
	CK_OBJECT_HANDLE handle;
	CK_ULONG	 out_len = CRYPTO_KEY_LEN + CRYPTO_TAG_LEN;
	CK_RV		 rv;
	struct error	 find_err;
	enum status	 st;

	memset(&p, 0, sizeof(p));
	if (root_key == NULL || root_key->len != CRYPTO_KEY_LEN) {
		st = error_set(err, STATUS_INTERNAL, "no root key to store");
		goto out;
	}
	if ((st = p11_open(cfg, &p, err)) != STATUS_OK)
		goto out;
	st = p11_key_find(cfg, &p, &handle, &find_err);
	if (st == STATUS_NOT_FOUND)
		st = p11_key_generate(cfg, &p, &handle, err);
	else if (st != STATUS_OK)
		error_set(err, st, "%s", find_err.message);
	if (st != STATUS_OK)
		goto out;
	if ((st = random_bytes(iv, sizeof(iv))) != STATUS_OK) {
		error_set(err, st, "no randomness");
		goto out;
	}
	p11_gcm_params(&gcm, iv);
	mech.mechanism = CKM_AES_GCM;
	mech.pParameter = &gcm;
	mech.ulParameterLen = sizeof(gcm);
	file[0] = P11_FILE_VERSION;
	memcpy(file + 1, iv, sizeof(iv));
	if ((rv = p.fn->C_EncryptInit(p.session, &mech, handle)) != CKR_OK ||
	    (rv = p.fn->C_Encrypt(p.session, root_key->data, CRYPTO_KEY_LEN,
	    file + 1 + CRYPTO_NONCE_LEN, &out_len)) != CKR_OK ||
	    out_len != CRYPTO_KEY_LEN + CRYPTO_TAG_LEN) {
		st = error_set(err, STATUS_ENCRYPTION_FAILURE, "the PKCS#11 "
		    "token cannot encrypt with key \"%s\" (0x%lx)",
		    cfg->key_label, (unsigned long)rv);
		goto out;
	}
	st = p11_file_write(cfg->wrapped_file, file, err);
out:
	OPENSSL_cleanse(file, sizeof(file));
	p11_close(&p);
	return st;
}
