/*
 * kms_fields.c: input field tables generated from the AWS model
 * (kms-2014-11-01) by scripts/gen_fields.py.  Do not edit.
 */
#include "api/kms_fields.h"

const struct field_spec kms_fields_CancelKeyDeletion[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ConnectCustomKeyStore[] = {
	{ "CustomKeyStoreId", FIELD_STRING, 1, 64, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_CreateAlias[] = {
	{ "AliasName", FIELD_STRING, 1, 256, true, false, NULL },
	{ "TargetKeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_CreateCustomKeyStore[] = {
	{ "CustomKeyStoreName", FIELD_STRING, 1, 256, true, false, NULL },
	{ "CloudHsmClusterId", FIELD_STRING, 19, 24, false, false, NULL },
	{ "TrustAnchorCertificate", FIELD_STRING, 1, 5000, false, false, NULL },
	{ "KeyStorePassword", FIELD_STRING, 7, 32, false, true, NULL },
	{ "CustomKeyStoreType", FIELD_STRING, -1, -1, false, false, "AWS_CLOUDHSM|EXTERNAL_KEY_STORE" },
	{ "XksProxyUriEndpoint", FIELD_STRING, 10, 128, false, false, NULL },
	{ "XksProxyUriPath", FIELD_STRING, 10, 128, false, false, NULL },
	{ "XksProxyVpcEndpointServiceName", FIELD_STRING, 20, 64, false, false, NULL },
	{ "XksProxyVpcEndpointServiceOwner", FIELD_STRING, 12, 12, false, false, NULL },
	{ "XksProxyAuthenticationCredential", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "XksProxyConnectivity", FIELD_STRING, -1, -1, false, false, "PUBLIC_ENDPOINT|VPC_ENDPOINT_SERVICE" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_CreateGrant[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "GranteePrincipal", FIELD_STRING, 1, 256, false, false, NULL },
	{ "RetiringPrincipal", FIELD_STRING, 1, 256, false, false, NULL },
	{ "Operations", FIELD_STRING_LIST, -1, -1, true, false, NULL },
	{ "Constraints", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "Name", FIELD_STRING, 1, 256, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "GranteeServicePrincipal", FIELD_STRING, 1, 128, false, false, NULL },
	{ "RetiringServicePrincipal", FIELD_STRING, 1, 128, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_CreateKey[] = {
	{ "Policy", FIELD_STRING, 1, 131072, false, false, NULL },
	{ "Description", FIELD_STRING, 0, 8192, false, false, NULL },
	{ "KeyUsage", FIELD_STRING, -1, -1, false, false, "SIGN_VERIFY|ENCRYPT_DECRYPT|GENERATE_VERIFY_MAC|KEY_AGREEMENT" },
	{ "CustomerMasterKeySpec", FIELD_STRING, -1, -1, false, false, "RSA_2048|RSA_3072|RSA_4096|ECC_NIST_P256|ECC_NIST_P384|ECC_NIST_P521|ECC_SECG_P256K1|SYMMETRIC_DEFAULT|HMAC_224|HMAC_256|HMAC_384|HMAC_512|SM2" },
	{ "KeySpec", FIELD_STRING, -1, -1, false, false, "RSA_2048|RSA_3072|RSA_4096|ECC_NIST_P256|ECC_NIST_P384|ECC_NIST_P521|ECC_SECG_P256K1|SYMMETRIC_DEFAULT|HMAC_224|HMAC_256|HMAC_384|HMAC_512|SM2|ML_DSA_44|ML_DSA_65|ML_DSA_87|ECC_NIST_EDWARDS25519" },
	{ "Origin", FIELD_STRING, -1, -1, false, false, "AWS_KMS|EXTERNAL|AWS_CLOUDHSM|EXTERNAL_KEY_STORE" },
	{ "CustomKeyStoreId", FIELD_STRING, 1, 64, false, false, NULL },
	{ "BypassPolicyLockoutSafetyCheck", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "Tags", FIELD_STRUCT_LIST, -1, -1, false, false, NULL },
	{ "MultiRegion", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "XksKeyId", FIELD_STRING, 1, 128, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_Decrypt[] = {
	{ "CiphertextBlob", FIELD_BLOB, 1, 6144, false, false, NULL },
	{ "EncryptionContext", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "KeyId", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "EncryptionAlgorithm", FIELD_STRING, -1, -1, false, false, "SYMMETRIC_DEFAULT|RSAES_OAEP_SHA_1|RSAES_OAEP_SHA_256|SM2PKE" },
	{ "Recipient", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "DryRunModifiers", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_DeleteAlias[] = {
	{ "AliasName", FIELD_STRING, 1, 256, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_DeleteCustomKeyStore[] = {
	{ "CustomKeyStoreId", FIELD_STRING, 1, 64, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_DeleteImportedKeyMaterial[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "KeyMaterialId", FIELD_STRING, 64, 64, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_DeriveSharedSecret[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "KeyAgreementAlgorithm", FIELD_STRING, -1, -1, true, false, "ECDH" },
	{ "PublicKey", FIELD_BLOB, 1, 8192, true, false, NULL },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "Recipient", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_DescribeCustomKeyStores[] = {
	{ "CustomKeyStoreId", FIELD_STRING, 1, 64, false, false, NULL },
	{ "CustomKeyStoreName", FIELD_STRING, 1, 256, false, false, NULL },
	{ "Limit", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 1024, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_DescribeKey[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_DisableKey[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_DisableKeyRotation[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_DisconnectCustomKeyStore[] = {
	{ "CustomKeyStoreId", FIELD_STRING, 1, 64, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_EnableKey[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_EnableKeyRotation[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "RotationPeriodInDays", FIELD_INTEGER, 90, 2560, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_Encrypt[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "Plaintext", FIELD_BLOB, 1, 4096, true, true, NULL },
	{ "EncryptionContext", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "EncryptionAlgorithm", FIELD_STRING, -1, -1, false, false, "SYMMETRIC_DEFAULT|RSAES_OAEP_SHA_1|RSAES_OAEP_SHA_256|SM2PKE" },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GenerateDataKey[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "EncryptionContext", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "NumberOfBytes", FIELD_INTEGER, 1, 1024, false, false, NULL },
	{ "KeySpec", FIELD_STRING, -1, -1, false, false, "AES_256|AES_128" },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "Recipient", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GenerateDataKeyPair[] = {
	{ "EncryptionContext", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "KeyPairSpec", FIELD_STRING, -1, -1, true, false, "RSA_2048|RSA_3072|RSA_4096|ECC_NIST_P256|ECC_NIST_P384|ECC_NIST_P521|ECC_SECG_P256K1|SM2|ECC_NIST_EDWARDS25519" },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "Recipient", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GenerateDataKeyPairWithoutPlaintext[] = {
	{ "EncryptionContext", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "KeyPairSpec", FIELD_STRING, -1, -1, true, false, "RSA_2048|RSA_3072|RSA_4096|ECC_NIST_P256|ECC_NIST_P384|ECC_NIST_P521|ECC_SECG_P256K1|SM2|ECC_NIST_EDWARDS25519" },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GenerateDataKeyWithoutPlaintext[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "EncryptionContext", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "KeySpec", FIELD_STRING, -1, -1, false, false, "AES_256|AES_128" },
	{ "NumberOfBytes", FIELD_INTEGER, 1, 1024, false, false, NULL },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GenerateMac[] = {
	{ "Message", FIELD_BLOB, 1, 4096, true, true, NULL },
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "MacAlgorithm", FIELD_STRING, -1, -1, true, false, "HMAC_SHA_224|HMAC_SHA_256|HMAC_SHA_384|HMAC_SHA_512" },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GenerateRandom[] = {
	{ "NumberOfBytes", FIELD_INTEGER, 1, 1024, false, false, NULL },
	{ "CustomKeyStoreId", FIELD_STRING, 1, 64, false, false, NULL },
	{ "Recipient", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GetKeyLastUsage[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GetKeyPolicy[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GetKeyRotationStatus[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GetParametersForImport[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "WrappingAlgorithm", FIELD_STRING, -1, -1, true, false, "RSAES_PKCS1_V1_5|RSAES_OAEP_SHA_1|RSAES_OAEP_SHA_256|RSA_AES_KEY_WRAP_SHA_1|RSA_AES_KEY_WRAP_SHA_256|SM2PKE" },
	{ "WrappingKeySpec", FIELD_STRING, -1, -1, true, false, "RSA_2048|RSA_3072|RSA_4096|SM2" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_GetPublicKey[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ImportKeyMaterial[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "ImportToken", FIELD_BLOB, 1, 6144, true, false, NULL },
	{ "EncryptedKeyMaterial", FIELD_BLOB, 1, 6144, true, false, NULL },
	{ "ValidTo", FIELD_STRING, -1, -1, false, false, NULL },
	{ "ExpirationModel", FIELD_STRING, -1, -1, false, false, "KEY_MATERIAL_EXPIRES|KEY_MATERIAL_DOES_NOT_EXPIRE" },
	{ "ImportType", FIELD_STRING, -1, -1, false, false, "NEW_KEY_MATERIAL|EXISTING_KEY_MATERIAL" },
	{ "KeyMaterialDescription", FIELD_STRING, 0, 256, false, false, NULL },
	{ "KeyMaterialId", FIELD_STRING, 64, 64, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ListAliases[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "Limit", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 1024, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ListGrants[] = {
	{ "Limit", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 1024, false, false, NULL },
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "GrantId", FIELD_STRING, 1, 128, false, false, NULL },
	{ "GranteePrincipal", FIELD_STRING, 1, 256, false, false, NULL },
	{ "GranteeServicePrincipal", FIELD_STRING, 1, 128, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ListKeyPolicies[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "Limit", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 1024, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ListKeyRotations[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "IncludeKeyMaterial", FIELD_STRING, -1, -1, false, false, "ALL_KEY_MATERIAL|ROTATIONS_ONLY" },
	{ "Limit", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 1024, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ListKeys[] = {
	{ "Limit", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 1024, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ListResourceTags[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "Limit", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 1024, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ListRetirableGrants[] = {
	{ "Limit", FIELD_INTEGER, 1, 1000, false, false, NULL },
	{ "Marker", FIELD_STRING, 1, 1024, false, false, NULL },
	{ "RetiringPrincipal", FIELD_STRING, 1, 256, false, false, NULL },
	{ "RetiringServicePrincipal", FIELD_STRING, 1, 128, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_PutKeyPolicy[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "PolicyName", FIELD_STRING, 1, 128, false, false, NULL },
	{ "Policy", FIELD_STRING, 1, 131072, true, false, NULL },
	{ "BypassPolicyLockoutSafetyCheck", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ReEncrypt[] = {
	{ "CiphertextBlob", FIELD_BLOB, 1, 6144, false, false, NULL },
	{ "SourceEncryptionContext", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "SourceKeyId", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "DestinationKeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "DestinationEncryptionContext", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "SourceEncryptionAlgorithm", FIELD_STRING, -1, -1, false, false, "SYMMETRIC_DEFAULT|RSAES_OAEP_SHA_1|RSAES_OAEP_SHA_256|SM2PKE" },
	{ "DestinationEncryptionAlgorithm", FIELD_STRING, -1, -1, false, false, "SYMMETRIC_DEFAULT|RSAES_OAEP_SHA_1|RSAES_OAEP_SHA_256|SM2PKE" },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "DryRunModifiers", FIELD_STRING_LIST, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ReplicateKey[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "ReplicaRegion", FIELD_STRING, 1, 32, true, false, NULL },
	{ "Policy", FIELD_STRING, 1, 131072, false, false, NULL },
	{ "BypassPolicyLockoutSafetyCheck", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "Description", FIELD_STRING, 0, 8192, false, false, NULL },
	{ "Tags", FIELD_STRUCT_LIST, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_RetireGrant[] = {
	{ "GrantToken", FIELD_STRING, 1, 8192, false, false, NULL },
	{ "KeyId", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "GrantId", FIELD_STRING, 1, 128, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_RevokeGrant[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "GrantId", FIELD_STRING, 1, 128, true, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_RotateKeyOnDemand[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_ScheduleKeyDeletion[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "PendingWindowInDays", FIELD_INTEGER, 1, 365, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_Sign[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "Message", FIELD_BLOB, 1, 4096, true, true, NULL },
	{ "MessageType", FIELD_STRING, -1, -1, false, false, "RAW|DIGEST|EXTERNAL_MU" },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "SigningAlgorithm", FIELD_STRING, -1, -1, true, false, "RSASSA_PSS_SHA_256|RSASSA_PSS_SHA_384|RSASSA_PSS_SHA_512|RSASSA_PKCS1_V1_5_SHA_256|RSASSA_PKCS1_V1_5_SHA_384|RSASSA_PKCS1_V1_5_SHA_512|ECDSA_SHA_256|ECDSA_SHA_384|ECDSA_SHA_512|SM2DSA|ML_DSA_SHAKE_256|ED25519_SHA_512|ED25519_PH_SHA_512" },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_TagResource[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "Tags", FIELD_STRUCT_LIST, -1, -1, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_UntagResource[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "TagKeys", FIELD_STRING_LIST, -1, -1, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_UpdateAlias[] = {
	{ "AliasName", FIELD_STRING, 1, 256, true, false, NULL },
	{ "TargetKeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_UpdateCustomKeyStore[] = {
	{ "CustomKeyStoreId", FIELD_STRING, 1, 64, true, false, NULL },
	{ "NewCustomKeyStoreName", FIELD_STRING, 1, 256, false, false, NULL },
	{ "KeyStorePassword", FIELD_STRING, 7, 32, false, true, NULL },
	{ "CloudHsmClusterId", FIELD_STRING, 19, 24, false, false, NULL },
	{ "XksProxyUriEndpoint", FIELD_STRING, 10, 128, false, false, NULL },
	{ "XksProxyUriPath", FIELD_STRING, 10, 128, false, false, NULL },
	{ "XksProxyVpcEndpointServiceName", FIELD_STRING, 20, 64, false, false, NULL },
	{ "XksProxyVpcEndpointServiceOwner", FIELD_STRING, 12, 12, false, false, NULL },
	{ "XksProxyAuthenticationCredential", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "XksProxyConnectivity", FIELD_STRING, -1, -1, false, false, "PUBLIC_ENDPOINT|VPC_ENDPOINT_SERVICE" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_UpdateKeyDescription[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "Description", FIELD_STRING, 0, 8192, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_UpdatePrimaryRegion[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "PrimaryRegion", FIELD_STRING, 1, 32, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_Verify[] = {
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "Message", FIELD_BLOB, 1, 4096, true, true, NULL },
	{ "MessageType", FIELD_STRING, -1, -1, false, false, "RAW|DIGEST|EXTERNAL_MU" },
	{ "Signature", FIELD_BLOB, 1, 6144, true, false, NULL },
	{ "SigningAlgorithm", FIELD_STRING, -1, -1, true, false, "RSASSA_PSS_SHA_256|RSASSA_PSS_SHA_384|RSASSA_PSS_SHA_512|RSASSA_PKCS1_V1_5_SHA_256|RSASSA_PKCS1_V1_5_SHA_384|RSASSA_PKCS1_V1_5_SHA_512|ECDSA_SHA_256|ECDSA_SHA_384|ECDSA_SHA_512|SM2DSA|ML_DSA_SHAKE_256|ED25519_SHA_512|ED25519_PH_SHA_512" },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec kms_fields_VerifyMac[] = {
	{ "Message", FIELD_BLOB, 1, 4096, true, true, NULL },
	{ "KeyId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "MacAlgorithm", FIELD_STRING, -1, -1, true, false, "HMAC_SHA_224|HMAC_SHA_256|HMAC_SHA_384|HMAC_SHA_512" },
	{ "Mac", FIELD_BLOB, 1, 6144, true, false, NULL },
	{ "GrantTokens", FIELD_STRING_LIST, 0, 10, false, false, NULL },
	{ "DryRun", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

