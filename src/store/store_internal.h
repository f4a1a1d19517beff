/*
 * store_internal.h: what the store front-end's files share: store.c owns
 * struct store_txn; store_iam.c (the IAM functions) reaches it through
 * store_txn_backend.
 */
#ifndef SESAME_STORE_INTERNAL_H
#define SESAME_STORE_INTERNAL_H

#include "store/store.h"

/* The backend of txn; *handle gets the transaction's handle for it. */
const struct store_backend *store_txn_backend(struct store_txn *txn,
		    void **handle);

#endif
