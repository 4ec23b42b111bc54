IF OBJECT_ID(N'[__EFMigrationsHistory]') IS NULL
BEGIN
    CREATE TABLE [__EFMigrationsHistory] (
        [MigrationId] nvarchar(150) NOT NULL,
        [ProductVersion] nvarchar(32) NOT NULL,
        CONSTRAINT [PK___EFMigrationsHistory] PRIMARY KEY ([MigrationId])
    );
END;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125141538_InitialCreate'
)
BEGIN
    CREATE TABLE [ApiKeys] (
        [Id] varchar(32) NOT NULL,
        [Name] nvarchar(100) NOT NULL,
        [SecretHash] varbinary(32) NOT NULL,
        [Scopes] varchar(256) NOT NULL,
        [AllowedNodes] nvarchar(2000) NULL,
        [AllowedPools] nvarchar(2000) NULL,
        [VmIdMin] int NULL,
        [VmIdMax] int NULL,
        [Enabled] bit NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [CreatedBy] nvarchar(32) NULL,
        [ExpiresAt] datetime2 NULL,
        [RevokedAt] datetime2 NULL,
        [RotatedAt] datetime2 NULL,
        [LastUsedAt] datetime2 NULL,
        CONSTRAINT [PK_ApiKeys] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125141538_InitialCreate'
)
BEGIN
    CREATE TABLE [OperationLogs] (
        [Id] bigint NOT NULL IDENTITY,
        [RequestId] nvarchar(128) NOT NULL,
        [KeyId] varchar(32) NULL,
        [KeyName] nvarchar(100) NULL,
        [Action] varchar(100) NOT NULL,
        [IsMutating] bit NOT NULL,
        [Method] varchar(10) NOT NULL,
        [Path] nvarchar(2048) NOT NULL,
        [VmId] int NULL,
        [Node] nvarchar(64) NULL,
        [Parameters] nvarchar(max) NULL,
        [Outcome] varchar(16) NOT NULL,
        [HttpStatus] int NULL,
        [ErrorCode] varchar(64) NULL,
        [Error] nvarchar(4000) NULL,
        [TaskId] nvarchar(256) NULL,
        [ExitStatus] nvarchar(1000) NULL,
        [Warnings] nvarchar(max) NULL,
        [Changes] nvarchar(max) NULL,
        [ClientAddress] nvarchar(64) NULL,
        [RequestedAt] datetime2 NOT NULL,
        [StartedAt] datetime2 NULL,
        [CompletedAt] datetime2 NULL,
        [DurationMs] bigint NULL,
        CONSTRAINT [PK_OperationLogs] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125141538_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_ApiKeys_Enabled_RevokedAt] ON [ApiKeys] ([Enabled], [RevokedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125141538_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_OperationLogs_Action_RequestedAt] ON [OperationLogs] ([Action], [RequestedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125141538_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_OperationLogs_KeyId_RequestedAt] ON [OperationLogs] ([KeyId], [RequestedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125141538_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_OperationLogs_Outcome_RequestedAt] ON [OperationLogs] ([Outcome], [RequestedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125141538_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_OperationLogs_RequestedAt_Id] ON [OperationLogs] ([RequestedAt], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125141538_InitialCreate'
)
BEGIN
    CREATE INDEX [IX_OperationLogs_VmId_RequestedAt] ON [OperationLogs] ([VmId], [RequestedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125141538_InitialCreate'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125141538_InitialCreate', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150142_AddIdempotency'
)
BEGIN
    CREATE TABLE [IdempotencyRecords] (
        [Id] bigint NOT NULL IDENTITY,
        [ApiKeyId] varchar(32) NOT NULL,
        [Key] varchar(255) NOT NULL,
        [RequestHash] varchar(64) NOT NULL,
        [Action] varchar(100) NOT NULL,
        [OperationId] bigint NULL,
        [CreatedAt] datetime2 NOT NULL,
        CONSTRAINT [PK_IdempotencyRecords] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150142_AddIdempotency'
)
BEGIN
    CREATE UNIQUE INDEX [IX_IdempotencyRecords_ApiKeyId_Key] ON [IdempotencyRecords] ([ApiKeyId], [Key]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150142_AddIdempotency'
)
BEGIN
    CREATE INDEX [IX_IdempotencyRecords_CreatedAt] ON [IdempotencyRecords] ([CreatedAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261125150142_AddIdempotency'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261125150142_AddIdempotency', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129180035_AddOperationLeases'
)
BEGIN
    ALTER TABLE [OperationLogs] ADD [LeaseOwner] varchar(64) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129180035_AddOperationLeases'
)
BEGIN
    ALTER TABLE [OperationLogs] ADD [LeaseUntil] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129180035_AddOperationLeases'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129180035_AddOperationLeases', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129180229_AddEvents'
)
BEGIN
    CREATE TABLE [Events] (
        [Id] bigint NOT NULL IDENTITY,
        [Type] varchar(64) NOT NULL,
        [OccurredAt] datetime2 NOT NULL,
        [OperationId] bigint NULL,
        [KeyId] varchar(32) NULL,
        [VmId] int NULL,
        [Node] nvarchar(64) NULL,
        [Pool] nvarchar(64) NULL,
        [Data] nvarchar(max) NOT NULL,
        CONSTRAINT [PK_Events] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129180229_AddEvents'
)
BEGIN
    CREATE INDEX [IX_Events_OccurredAt] ON [Events] ([OccurredAt]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129180229_AddEvents'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129180229_AddEvents', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129181944_AddKeyChangeStamp'
)
BEGIN
    CREATE TABLE [KeyChangeStamps] (
        [Id] int NOT NULL,
        [Value] uniqueidentifier NOT NULL,
        CONSTRAINT [PK_KeyChangeStamps] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129181944_AddKeyChangeStamp'
)
BEGIN
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'Id', N'Value') AND [object_id] = OBJECT_ID(N'[KeyChangeStamps]'))
        SET IDENTITY_INSERT [KeyChangeStamps] ON;
    EXEC(N'INSERT INTO [KeyChangeStamps] ([Id], [Value])
    VALUES (1, ''00000000-0000-0000-0000-000000000000'')');
    IF EXISTS (SELECT * FROM [sys].[identity_columns] WHERE [name] IN (N'Id', N'Value') AND [object_id] = OBJECT_ID(N'[KeyChangeStamps]'))
        SET IDENTITY_INSERT [KeyChangeStamps] OFF;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129181944_AddKeyChangeStamp'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129181944_AddKeyChangeStamp', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129205722_AddUpidUniqueAndClaimLeases'
)
BEGIN
    ALTER TABLE [IdempotencyRecords] ADD [LeaseOwner] varchar(64) NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129205722_AddUpidUniqueAndClaimLeases'
)
BEGIN
    ALTER TABLE [IdempotencyRecords] ADD [LeaseUntil] datetime2 NULL;
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129205722_AddUpidUniqueAndClaimLeases'
)
BEGIN
    EXEC(N'CREATE UNIQUE INDEX [IX_OperationLogs_TaskId] ON [OperationLogs] ([TaskId]) WHERE [TaskId] IS NOT NULL');
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129205722_AddUpidUniqueAndClaimLeases'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129205722_AddUpidUniqueAndClaimLeases', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129221503_AddWebhooks'
)
BEGIN
    CREATE TABLE [Webhooks] (
        [Id] varchar(32) NOT NULL,
        [OwnerKeyId] varchar(32) NOT NULL,
        [Url] nvarchar(2048) NOT NULL,
        [Events] varchar(256) NOT NULL,
        [SecretCipher] varbinary(128) NOT NULL,
        [Enabled] bit NOT NULL,
        [CreatedAt] datetime2 NOT NULL,
        [UpdatedAt] datetime2 NOT NULL,
        [DisabledAt] datetime2 NULL,
        [DisabledReason] varchar(32) NULL,
        [LastEventId] bigint NOT NULL,
        [FailingSince] datetime2 NULL,
        [LeaseOwner] varchar(64) NULL,
        [LeaseUntil] datetime2 NULL,
        CONSTRAINT [PK_Webhooks] PRIMARY KEY ([Id])
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129221503_AddWebhooks'
)
BEGIN
    CREATE TABLE [WebhookDeliveries] (
        [Id] bigint NOT NULL IDENTITY,
        [WebhookId] varchar(32) NOT NULL,
        [EventId] bigint NULL,
        [MessageId] varchar(100) NOT NULL,
        [Type] varchar(64) NOT NULL,
        [Body] nvarchar(max) NOT NULL,
        [Status] varchar(16) NOT NULL,
        [Attempts] int NOT NULL,
        [ResponseStatus] int NULL,
        [Error] nvarchar(1000) NULL,
        [CreatedAt] datetime2 NOT NULL,
        [NextAttemptAt] datetime2 NOT NULL,
        [LastAttemptAt] datetime2 NULL,
        [CompletedAt] datetime2 NULL,
        CONSTRAINT [PK_WebhookDeliveries] PRIMARY KEY ([Id]),
        CONSTRAINT [FK_WebhookDeliveries_Webhooks_WebhookId] FOREIGN KEY ([WebhookId]) REFERENCES [Webhooks] ([Id]) ON DELETE CASCADE
    );
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129221503_AddWebhooks'
)
BEGIN
    CREATE INDEX [IX_WebhookDeliveries_WebhookId_Status_Id] ON [WebhookDeliveries] ([WebhookId], [Status], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129221503_AddWebhooks'
)
BEGIN
    CREATE INDEX [IX_Webhooks_Enabled_LeaseUntil] ON [Webhooks] ([Enabled], [LeaseUntil]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129221503_AddWebhooks'
)
BEGIN
    CREATE INDEX [IX_Webhooks_OwnerKeyId] ON [Webhooks] ([OwnerKeyId]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129221503_AddWebhooks'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129221503_AddWebhooks', N'10.0.15');
END;

COMMIT;
GO

BEGIN TRANSACTION;
IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129223437_AddEventStateIndex'
)
BEGIN
    CREATE INDEX [IX_Events_VmId_Type_Id] ON [Events] ([VmId], [Type], [Id]);
END;

IF NOT EXISTS (
    SELECT * FROM [__EFMigrationsHistory]
    WHERE [MigrationId] = N'20261129223437_AddEventStateIndex'
)
BEGIN
    INSERT INTO [__EFMigrationsHistory] ([MigrationId], [ProductVersion])
    VALUES (N'20261129223437_AddEventStateIndex', N'10.0.15');
END;

COMMIT;
GO

