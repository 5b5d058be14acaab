using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Meetings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Meeting",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    UnitId = table.Column<int>(type: "INTEGER", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    HeldAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Seats = table.Column<int>(type: "INTEGER", nullable: false),
                    ApplicationsOpenAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ApplicationsCloseAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LiveStreamUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    SeedSource = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Seed = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    SeedEnteredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    FrozenAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ApplicationsHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    DrawnAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Meeting", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Meeting_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "MeetingQuota",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MeetingId = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Category = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Seats = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingQuota", x => x.Id);
                    table.ForeignKey(
                        name: "FK_MeetingQuota_Meeting_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meeting",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "MeetingTopic",
                columns: table => new
                {
                    MeetingId = table.Column<int>(type: "INTEGER", nullable: false),
                    DecisionId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MeetingTopic", x => new { x.MeetingId, x.DecisionId });
                    table.ForeignKey(
                        name: "FK_MeetingTopic_Decision_DecisionId",
                        column: x => x.DecisionId,
                        principalTable: "Decision",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_MeetingTopic_Meeting_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meeting",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RepresentativeApplication",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MeetingId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    PublicId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    RealName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Category = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Connection = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Statement = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ConsentedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    IneligibleReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ErasedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Rank = table.Column<int>(type: "INTEGER", nullable: true),
                    Standing = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SeatReservedFor = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ConfirmBy = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    ConfirmedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Attended = table.Column<bool>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RepresentativeApplication", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RepresentativeApplication_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_RepresentativeApplication_Meeting_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meeting",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SeatReplacement",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MeetingId = table.Column<int>(type: "INTEGER", nullable: false),
                    FromPublicId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ToPublicId = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SeatReplacement", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SeatReplacement_Meeting_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meeting",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RepresentativeOpinion",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    MeetingId = table.Column<int>(type: "INTEGER", nullable: false),
                    ApplicationId = table.Column<long>(type: "INTEGER", nullable: false),
                    DecisionId = table.Column<int>(type: "INTEGER", nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Outcome = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RepresentativeOpinion", x => x.Id);
                    table.ForeignKey(
                        name: "FK_RepresentativeOpinion_Decision_DecisionId",
                        column: x => x.DecisionId,
                        principalTable: "Decision",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_RepresentativeOpinion_Meeting_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meeting",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_RepresentativeOpinion_RepresentativeApplication_ApplicationId",
                        column: x => x.ApplicationId,
                        principalTable: "RepresentativeApplication",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Meeting_HeldAt",
                table: "Meeting",
                column: "HeldAt");

            migrationBuilder.CreateIndex(
                name: "IX_Meeting_UnitId",
                table: "Meeting",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_MeetingQuota_MeetingId_Category",
                table: "MeetingQuota",
                columns: new[] { "MeetingId", "Category" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MeetingTopic_DecisionId",
                table: "MeetingTopic",
                column: "DecisionId");

            migrationBuilder.CreateIndex(
                name: "IX_RepresentativeApplication_MeetingId_Status",
                table: "RepresentativeApplication",
                columns: new[] { "MeetingId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_RepresentativeApplication_MeetingId_UserId",
                table: "RepresentativeApplication",
                columns: new[] { "MeetingId", "UserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RepresentativeApplication_PublicId",
                table: "RepresentativeApplication",
                column: "PublicId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RepresentativeApplication_UserId",
                table: "RepresentativeApplication",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_RepresentativeOpinion_ApplicationId",
                table: "RepresentativeOpinion",
                column: "ApplicationId");

            migrationBuilder.CreateIndex(
                name: "IX_RepresentativeOpinion_DecisionId",
                table: "RepresentativeOpinion",
                column: "DecisionId");

            migrationBuilder.CreateIndex(
                name: "IX_RepresentativeOpinion_MeetingId",
                table: "RepresentativeOpinion",
                column: "MeetingId");

            migrationBuilder.CreateIndex(
                name: "IX_SeatReplacement_MeetingId_FromPublicId",
                table: "SeatReplacement",
                columns: new[] { "MeetingId", "FromPublicId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MeetingQuota");

            migrationBuilder.DropTable(
                name: "MeetingTopic");

            migrationBuilder.DropTable(
                name: "RepresentativeOpinion");

            migrationBuilder.DropTable(
                name: "SeatReplacement");

            migrationBuilder.DropTable(
                name: "RepresentativeApplication");

            migrationBuilder.DropTable(
                name: "Meeting");
        }
    }
}
