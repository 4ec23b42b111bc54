using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProxmoxLxc.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class AddUpidUniqueAndClaimLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "IdempotencyRecords",
                type: "character varying(64)",
                unicode: false,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "IdempotencyRecords",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_OperationLogs_TaskId",
                table: "OperationLogs",
                column: "TaskId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OperationLogs_TaskId",
                table: "OperationLogs");

            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "IdempotencyRecords");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "IdempotencyRecords");
        }
    }
}
