using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Postgres
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
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CommittedAt",
                table: "Meeting",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "CorrectedAt",
                table: "Meeting",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "CorrectionReason",
                table: "Meeting",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FirstPublicResult",
                table: "Meeting",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NormalisedResult",
                table: "Meeting",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PublicDrawAt",
                table: "Meeting",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublicDrawNumber",
                table: "Meeting",
                type: "character varying(40)",
                maxLength: 40,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublicResult",
                table: "Meeting",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "PublicResultEnteredAt",
                table: "Meeting",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PublicSource",
                table: "Meeting",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Secret",
                table: "Meeting",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SecretProtected",
                table: "Meeting",
                type: "character varying(1000)",
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
