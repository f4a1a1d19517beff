/*
 * kms_internal.h: what the files of the KMS service (kms.c, kms_crypto.c)
 * share.
 */
#ifndef SESAME_API_KMS_INTERNAL_H
#define SESAME_API_KMS_INTERNAL_H

#include "api/api.h"

/* kms_crypto.c: Encrypt, Decrypt, ReEncrypt, GenerateDataKey(+Without
 * Plaintext), GenerateRandom. */
enum status	 kms_op_encrypt(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 kms_op_decrypt(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 kms_op_reencrypt(struct api_call *, json_t *, json_t **,
		    struct error *);
enum status	 kms_op_generate_data_key(struct api_call *, json_t *,
		    json_t **, struct error *);
enum status	 kms_op_generate_data_key_without_plaintext(struct api_call *,
		    json_t *, json_t **, struct error *);
enum status	 kms_op_generate_random(struct api_call *, json_t *, json_t **,
		    struct error *);

#endif
