using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProxmoxLxc.Migrations.SqlServer.Migrations
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
                type: "varchar(64)",
                unicode: false,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "IdempotencyRecords",
                type: "datetime2",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_OperationLogs_TaskId",
                table: "OperationLogs",
                column: "TaskId",
                unique: true,
                filter: "[TaskId] IS NOT NULL");
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
