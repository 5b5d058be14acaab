using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class QuestionnaireReview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Approved",
                table: "QuestionAnswer",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "QuestionnaireClosesAt",
                table: "OpenEvent",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Approved",
                table: "QuestionAnswer");

            migrationBuilder.DropColumn(
                name: "QuestionnaireClosesAt",
                table: "OpenEvent");
        }
    }
}
