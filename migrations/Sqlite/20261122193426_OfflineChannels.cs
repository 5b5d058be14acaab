using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OfflineChannels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "HeldOn",
                table: "Comment",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Participants",
                table: "Comment",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Place",
                table: "Comment",
                type: "TEXT",
                maxLength: 200,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "HeldOn",
                table: "Comment");

            migrationBuilder.DropColumn(
                name: "Participants",
                table: "Comment");

            migrationBuilder.DropColumn(
                name: "Place",
                table: "Comment");
        }
    }
}
