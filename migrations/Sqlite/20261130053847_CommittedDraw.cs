using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CommittedDraw : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Commitment",
                table: "Meeting",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CommittedAt",
                table: "Meeting",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "CorrectedAt",
                table: "Meeting",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CorrectionReason",
                table: "Meeting",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FirstPublicResult",
                table: "Meeting",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NormalisedResult",
                table: "Meeting",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PublicDrawAt",
                table: "Meeting",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublicDrawNumber",
                table: "Meeting",
                type: "TEXT",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublicResult",
                table: "Meeting",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "PublicResultEnteredAt",
                table: "Meeting",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublicSource",
                table: "Meeting",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Secret",
                table: "Meeting",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecretProtected",
                table: "Meeting",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Commitment",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "CommittedAt",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "CorrectedAt",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "CorrectionReason",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "FirstPublicResult",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "NormalisedResult",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "PublicDrawAt",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "PublicDrawNumber",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "PublicResult",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "PublicResultEnteredAt",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "PublicSource",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "Secret",
                table: "Meeting");

            migrationBuilder.DropColumn(
                name: "SecretProtected",
                table: "Meeting");
        }
    }
}
