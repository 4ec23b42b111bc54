using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ProxmoxLxc.Migrations.SqlServer.Migrations
{
    /// <inheritdoc />
    public partial class AddEventStateIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Events_VmId_Type_Id",
                table: "Events",
                columns: new[] { "VmId", "Type", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Events_VmId_Type_Id",
                table: "Events");
        }
    }
}
