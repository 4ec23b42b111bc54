using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProxmoxLxc.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class AddOperationLeases : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LeaseOwner",
                table: "OperationLogs",
                type: "character varying(64)",
                unicode: false,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "OperationLogs",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LeaseOwner",
                table: "OperationLogs");

            migrationBuilder.DropColumn(
                name: "LeaseUntil",
                table: "OperationLogs");
        }
    }
}
