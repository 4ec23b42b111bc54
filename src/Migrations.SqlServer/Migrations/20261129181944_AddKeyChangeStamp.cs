using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProxmoxLxc.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AddKeyChangeStamp : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "KeyChangeStamps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Value = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KeyChangeStamps", x => x.Id);
                });

            migrationBuilder.InsertData(
                table: "KeyChangeStamps",
                columns: new[] { "Id", "Value" },
                values: new object[] { 1, new Guid("00000000-0000-0000-0000-000000000000") });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KeyChangeStamps");
        }
    }
}
