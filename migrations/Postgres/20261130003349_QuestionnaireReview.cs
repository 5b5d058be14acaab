using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Postgres
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
                type: "boolean",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "QuestionnaireClosesAt",
                table: "OpenEvent",
                type: "timestamp with time zone",
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
