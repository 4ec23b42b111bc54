using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProxmoxLxc.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                unicode: false,
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LeaseUntil",
                table: "OperationLogs",
                type: "TEXT",
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
