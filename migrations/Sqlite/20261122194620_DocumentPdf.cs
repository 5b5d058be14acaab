using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DocumentPdf : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<byte[]>(
                name: "Pdf",
                table: "DocumentVersion",
                type: "BLOB",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PdfLength",
                table: "DocumentVersion",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Pdf",
                table: "DocumentVersion");

            migrationBuilder.DropColumn(
                name: "PdfLength",
                table: "DocumentVersion");
        }
    }
}
