using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProxmoxLxc.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class InitialCreate : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ApiKeys",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    SecretHash = table.Column<byte[]>(type: "BLOB", maxLength: 32, nullable: false),
                    Scopes = table.Column<string>(type: "TEXT", unicode: false, maxLength: 256, nullable: false),
                    AllowedNodes = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AllowedPools = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    VmIdMin = table.Column<int>(type: "INTEGER", nullable: true),
                    VmIdMax = table.Column<int>(type: "INTEGER", nullable: true),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    RotatedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LastUsedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ApiKeys", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "OperationLogs",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    RequestId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    KeyId = table.Column<string>(type: "TEXT", unicode: false, maxLength: 32, nullable: true),
                    KeyName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Action = table.Column<string>(type: "TEXT", unicode: false, maxLength: 100, nullable: false),
                    IsMutating = table.Column<bool>(type: "INTEGER", nullable: false),
                    Method = table.Column<string>(type: "TEXT", unicode: false, maxLength: 10, nullable: false),
                    Path = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    VmId = table.Column<int>(type: "INTEGER", nullable: true),
                    Node = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Parameters = table.Column<string>(type: "TEXT", nullable: true),
                    Outcome = table.Column<string>(type: "TEXT", unicode: false, maxLength: 16, nullable: false),
                    HttpStatus = table.Column<int>(type: "INTEGER", nullable: true),
                    ErrorCode = table.Column<string>(type: "TEXT", unicode: false, maxLength: 64, nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    TaskId = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    ExitStatus = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Warnings = table.Column<string>(type: "TEXT", nullable: true),
                    Changes = table.Column<string>(type: "TEXT", nullable: true),
                    ClientAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RequestedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                    DurationMs = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OperationLogs", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ApiKeys_Enabled_RevokedAt",
                table: "ApiKeys",
                columns: new[] { "Enabled", "RevokedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OperationLogs_Action_RequestedAt",
                table: "OperationLogs",
                columns: new[] { "Action", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OperationLogs_KeyId_RequestedAt",
                table: "OperationLogs",
                columns: new[] { "KeyId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OperationLogs_Outcome_RequestedAt",
                table: "OperationLogs",
                columns: new[] { "Outcome", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OperationLogs_RequestedAt_Id",
                table: "OperationLogs",
                columns: new[] { "RequestedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_OperationLogs_VmId_RequestedAt",
                table: "OperationLogs",
                columns: new[] { "VmId", "RequestedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ApiKeys");

            migrationBuilder.DropTable(
                name: "OperationLogs");
        }
    }
}
