/*
 * secretsmanager_fields.c: input field tables generated from the AWS model
 * (secretsmanager-2017-10-17) by scripts/gen_fields.py.  Do not edit.
 */
#include "api/secretsmanager_fields.h"

const struct field_spec secretsmanager_fields_BatchGetSecretValue[] = {
	{ "SecretIdList", FIELD_STRING_LIST, 1, 20, false, false, NULL },
	{ "Filters", FIELD_STRUCT_LIST, -1, 10, false, false, NULL },
	{ "MaxResults", FIELD_INTEGER, 1, 20, false, false, NULL },
	{ "NextToken", FIELD_STRING, 1, 4096, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_CancelRotateSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_CreateSecret[] = {
	{ "Name", FIELD_STRING, 1, 512, true, false, NULL },
	{ "ClientRequestToken", FIELD_STRING, 32, 64, false, false, NULL },
	{ "Description", FIELD_STRING, -1, 2048, false, false, NULL },
	{ "KmsKeyId", FIELD_STRING, 0, 2048, false, false, NULL },
	{ "SecretBinary", FIELD_BLOB, 1, 65536, false, true, NULL },
	{ "SecretString", FIELD_STRING, 1, 65536, false, true, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, -1, false, false, NULL },
	{ "AddReplicaRegions", FIELD_STRUCT_LIST, 1, -1, false, false, NULL },
	{ "ForceOverwriteReplicaSecret", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "Type", FIELD_STRING, 0, 256, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_DeleteResourcePolicy[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_DeleteSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "RecoveryWindowInDays", FIELD_LONG, -1, -1, false, false, NULL },
	{ "ForceDeleteWithoutRecovery", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_DescribeSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_GetRandomPassword[] = {
	{ "PasswordLength", FIELD_LONG, 1, 4096, false, false, NULL },
	{ "ExcludeCharacters", FIELD_STRING, 0, 4096, false, false, NULL },
	{ "ExcludeNumbers", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "ExcludePunctuation", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "ExcludeUppercase", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "ExcludeLowercase", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "IncludeSpace", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "RequireEachIncludedType", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_GetResourcePolicy[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_GetSecretValue[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "VersionId", FIELD_STRING, 32, 64, false, false, NULL },
	{ "VersionStage", FIELD_STRING, 1, 256, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_ListSecretVersionIds[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "MaxResults", FIELD_INTEGER, 1, 100, false, false, NULL },
	{ "NextToken", FIELD_STRING, 1, 4096, false, false, NULL },
	{ "IncludeDeprecated", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_ListSecrets[] = {
	{ "IncludePlannedDeletion", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ "MaxResults", FIELD_INTEGER, 1, 100, false, false, NULL },
	{ "NextToken", FIELD_STRING, 1, 4096, false, false, NULL },
	{ "Filters", FIELD_STRUCT_LIST, -1, 10, false, false, NULL },
	{ "SortOrder", FIELD_STRING, -1, -1, false, false, "asc|desc" },
	{ "SortBy", FIELD_STRING, -1, -1, false, false, "created-date|last-accessed-date|last-changed-date|name" },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_PutResourcePolicy[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "ResourcePolicy", FIELD_STRING, 1, 20480, true, false, NULL },
	{ "BlockPublicPolicy", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_PutSecretValue[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "ClientRequestToken", FIELD_STRING, 32, 64, false, false, NULL },
	{ "SecretBinary", FIELD_BLOB, 1, 65536, false, true, NULL },
	{ "SecretString", FIELD_STRING, 1, 65536, false, true, NULL },
	{ "VersionStages", FIELD_STRING_LIST, 1, 20, false, false, NULL },
	{ "RotationToken", FIELD_STRING, 36, 256, false, true, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_RemoveRegionsFromReplication[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "RemoveReplicaRegions", FIELD_STRING_LIST, 1, -1, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_ReplicateSecretToRegions[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "AddReplicaRegions", FIELD_STRUCT_LIST, 1, -1, true, false, NULL },
	{ "ForceOverwriteReplicaSecret", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_RestoreSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_RotateSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "ClientRequestToken", FIELD_STRING, 32, 64, false, false, NULL },
	{ "RotationLambdaARN", FIELD_STRING, 0, 2048, false, false, NULL },
	{ "RotationRules", FIELD_STRUCT, -1, -1, false, false, NULL },
	{ "ExternalSecretRotationMetadata", FIELD_TAG_LIST, -1, -1, false, false, NULL },
	{ "ExternalSecretRotationRoleArn", FIELD_STRING, 20, 2048, false, false, NULL },
	{ "RotateImmediately", FIELD_BOOLEAN, -1, -1, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_StopReplicationToReplica[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_TagResource[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "Tags", FIELD_TAG_LIST, -1, -1, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_UntagResource[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "TagKeys", FIELD_STRING_LIST, -1, -1, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_UpdateSecret[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "ClientRequestToken", FIELD_STRING, 32, 64, false, false, NULL },
	{ "Description", FIELD_STRING, -1, 2048, false, false, NULL },
	{ "KmsKeyId", FIELD_STRING, 0, 2048, false, false, NULL },
	{ "SecretBinary", FIELD_BLOB, 1, 65536, false, true, NULL },
	{ "SecretString", FIELD_STRING, 1, 65536, false, true, NULL },
	{ "Type", FIELD_STRING, 0, 256, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_UpdateSecretVersionStage[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, true, false, NULL },
	{ "VersionStage", FIELD_STRING, 1, 256, true, false, NULL },
	{ "RemoveFromVersionId", FIELD_STRING, 32, 64, false, false, NULL },
	{ "MoveToVersionId", FIELD_STRING, 32, 64, false, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

const struct field_spec secretsmanager_fields_ValidateResourcePolicy[] = {
	{ "SecretId", FIELD_STRING, 1, 2048, false, false, NULL },
	{ "ResourcePolicy", FIELD_STRING, 1, 20480, true, false, NULL },
	{ NULL, 0, 0, 0, false, false, NULL },
};

