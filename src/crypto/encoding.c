/*
 * encoding.c: hex and base64 for values that may be secret (SecretBinary,
 * generated keys).
 *
 * base64_decode_secret is strict (RFC 4648 section 4, standard alphabet,
 * '=' padding required, no whitespace, unused bits of the last character
 * zero) so that each value has exactly one accepted encoding, and it decodes
 * straight into a secret_buf: no plaintext passes through an unwiped buffer.
 * The character-to-value mapping is branch-free arithmetic rather than a
 * table, so decoding a secret does not leak it through data-dependent memory
 * accesses or branches.
 *
 * Thread-safety: pure functions, safe from any thread.
 */
#include <stdint.h>
#include <stdlib.h>

#include <openssl/crypto.h>

#include "crypto/crypto.h"

static const char hex_digits[] = "0123456789abcdef";
static const char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
hex_encode(const unsigned char *in, size_t len, char *out)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = hex_digits[in[i] >> 4];
		out[2 * i + 1] = hex_digits[in[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

enum status
base64_encode(const unsigned char *in, size_t len, char **out)
{
	enum status	 st = STATUS_INTERNAL;
	char		*enc = NULL;
	size_t		 enc_len, i, o = 0;
	uint32_t	 triple;

	if (out == NULL || (in == NULL && len > 0))
		goto out;
	st = STATUS_NO_MEMORY;
	if (len / 3 >= (SIZE_MAX - 1) / 4 - 1)
		goto out;
	enc_len = (len + 2) / 3 * 4;
	if ((enc = malloc(enc_len + 1)) == NULL)
		goto out;
	for (i = 0; i + 2 < len; i += 3) {
		triple = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 |
		    in[i + 2];
		enc[o++] = base64_alphabet[triple >> 18 & 0x3f];
		enc[o++] = base64_alphabet[triple >> 12 & 0x3f];
		enc[o++] = base64_alphabet[triple >> 6 & 0x3f];
		enc[o++] = base64_alphabet[triple & 0x3f];
	}
	if (len - i == 1) {
		triple = (uint32_t)in[i] << 16;
		enc[o++] = base64_alphabet[triple >> 18 & 0x3f];
		enc[o++] = base64_alphabet[triple >> 12 & 0x3f];
		enc[o++] = '=';
		enc[o++] = '=';
	} else if (len - i == 2) {
		triple = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8;
		enc[o++] = base64_alphabet[triple >> 18 & 0x3f];
		enc[o++] = base64_alphabet[triple >> 12 & 0x3f];
		enc[o++] = base64_alphabet[triple >> 6 & 0x3f];
		enc[o++] = '=';
	}
	enc[o] = '\0';
	*out = enc;
	enc = NULL;
	st = STATUS_OK;
out:
	free(enc);
	return st;
}

/*
 * The 6-bit value of c, or -1 when c is not in the standard alphabet.
 * Each term is c's offset masked by "lo < c < hi", computed as the sign of
 * (lo - c) & (c - hi): both are negative only inside the range, and their
 * arithmetic shift is then all ones (c is a byte, so |terms| < 256).
 */
static int
base64_value(int c)
{
	int	 v = -1;

	v += (((0x40 - c) & (c - 0x5b)) >> 8) & (c - 64);	/* A-Z */
	v += (((0x60 - c) & (c - 0x7b)) >> 8) & (c - 70);	/* a-z */
	v += (((0x2f - c) & (c - 0x3a)) >> 8) & (c + 5);	/* 0-9 */
	v += (((0x2a - c) & (c - 0x2c)) >> 8) & 63;		/* + */
	v += (((0x2e - c) & (c - 0x30)) >> 8) & 64;		/* / */
	return v;
}

enum status
base64_decode_secret(const char *in, size_t in_len, struct secret_buf **out)
{
	enum status	 st = STATUS_INVALID_PARAMETER;
	struct secret_buf *plain = NULL;
	const unsigned char *p = (const unsigned char *)in;
	size_t		 i, padding = 0, quads;
	int		 v[4] = { 0 }, bad = 0, k;

	if (out == NULL || (in == NULL && in_len > 0)) {
		st = STATUS_INTERNAL;
		goto out;
	}
	if (in_len % 4 != 0)
		goto out;
	if (in_len > 0 && p[in_len - 1] == '=') {
		padding = 1;
		if (p[in_len - 2] == '=')
			padding = 2;
	}
	quads = in_len / 4;
	if ((plain = secret_buf_new(quads * 3)) == NULL) {
		st = STATUS_NO_MEMORY;
		goto out;
	}
	for (i = 0; i < quads; i++) {
		for (k = 0; k < 4; k++) {
			if (i == quads - 1 && k >= 4 - (int)padding)
				v[k] = 0;
			else {
				v[k] = base64_value(p[4 * i + k]);
				bad |= v[k];
				v[k] &= 0x3f;
			}
		}
		plain->data[plain->len++] =
		    (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (i < quads - 1 || padding < 2)
			plain->data[plain->len++] =
			    (unsigned char)((v[1] & 0x0f) << 4 | v[2] >> 2);
		if (i < quads - 1 || padding < 1)
			plain->data[plain->len++] =
			    (unsigned char)((v[2] & 0x03) << 6 | v[3]);
	}
	/* A '=' before the padding is caught above: its value is -1. */
	if (bad < 0)
		goto out;
	/* Unused low bits of the last character must be zero (canonical). */
	if ((padding == 1 && (v[2] & 0x03) != 0) ||
	    (padding == 2 && (v[1] & 0x0f) != 0))
		goto out;
	plain->data[plain->len] = '\0';
	*out = plain;
	plain = NULL;
	st = STATUS_OK;
out:
	OPENSSL_cleanse(v, sizeof(v));
	secret_buf_free(plain);
	return st;
}
