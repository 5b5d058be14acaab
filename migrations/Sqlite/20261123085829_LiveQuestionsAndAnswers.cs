using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LiveQuestionsAndAnswers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "FaqEntry",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Page = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Question = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SourceId = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_FaqEntry", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "LiveSession",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    JoinCode = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    EventId = table.Column<int>(type: "INTEGER", nullable: true),
                    MeetingId = table.Column<int>(type: "INTEGER", nullable: true),
                    RequireSignIn = table.Column<bool>(type: "INTEGER", nullable: false),
                    Moderation = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CreatedById = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Seq = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveSession", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LiveSession_AspNetUsers_CreatedById",
                        column: x => x.CreatedById,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LiveSession_Meeting_MeetingId",
                        column: x => x.MeetingId,
                        principalTable: "Meeting",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_LiveSession_OpenEvent_EventId",
                        column: x => x.EventId,
                        principalTable: "OpenEvent",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "LiveHost",
                columns: table => new
                {
                    SessionId = table.Column<int>(type: "INTEGER", nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveHost", x => new { x.SessionId, x.UserId });
                    table.ForeignKey(
                        name: "FK_LiveHost_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_LiveHost_LiveSession_SessionId",
                        column: x => x.SessionId,
                        principalTable: "LiveSession",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LiveParticipant",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SessionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    UserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Nickname = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Blocked = table.Column<bool>(type: "INTEGER", nullable: false),
                    JoinedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveParticipant", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LiveParticipant_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                    table.ForeignKey(
                        name: "FK_LiveParticipant_LiveSession_SessionId",
                        column: x => x.SessionId,
                        principalTable: "LiveSession",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LivePoll",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SessionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Question = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Multiple = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Seq = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LivePoll", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LivePoll_LiveSession_SessionId",
                        column: x => x.SessionId,
                        principalTable: "LiveSession",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LiveQuestion",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SessionId = table.Column<int>(type: "INTEGER", nullable: false),
                    ParticipantId = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Anonymous = table.Column<bool>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    HeldReason = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    AnsweredLive = table.Column<bool>(type: "INTEGER", nullable: false),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Pinned = table.Column<bool>(type: "INTEGER", nullable: false),
                    Votes = table.Column<int>(type: "INTEGER", nullable: false),
                    MergedIntoId = table.Column<long>(type: "INTEGER", nullable: true),
                    Duplicates = table.Column<int>(type: "INTEGER", nullable: false),
                    AskedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Seq = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveQuestion", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LiveQuestion_LiveParticipant_ParticipantId",
                        column: x => x.ParticipantId,
                        principalTable: "LiveParticipant",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LiveQuestion_LiveSession_SessionId",
                        column: x => x.SessionId,
                        principalTable: "LiveSession",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LivePollAnswer",
                columns: table => new
                {
                    PollId = table.Column<int>(type: "INTEGER", nullable: false),
                    ParticipantId = table.Column<long>(type: "INTEGER", nullable: false),
                    OptionIds = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    AnsweredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LivePollAnswer", x => new { x.PollId, x.ParticipantId });
                    table.ForeignKey(
                        name: "FK_LivePollAnswer_LiveParticipant_ParticipantId",
                        column: x => x.ParticipantId,
                        principalTable: "LiveParticipant",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LivePollAnswer_LivePoll_PollId",
                        column: x => x.PollId,
                        principalTable: "LivePoll",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LivePollOption",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    PollId = table.Column<int>(type: "INTEGER", nullable: false),
                    Position = table.Column<int>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Votes = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LivePollOption", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LivePollOption_LivePoll_PollId",
                        column: x => x.PollId,
                        principalTable: "LivePoll",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "LiveVote",
                columns: table => new
                {
                    QuestionId = table.Column<long>(type: "INTEGER", nullable: false),
                    ParticipantId = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LiveVote", x => new { x.QuestionId, x.ParticipantId });
                    table.ForeignKey(
                        name: "FK_LiveVote_LiveParticipant_ParticipantId",
                        column: x => x.ParticipantId,
                        principalTable: "LiveParticipant",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_LiveVote_LiveQuestion_QuestionId",
                        column: x => x.QuestionId,
                        principalTable: "LiveQuestion",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_FaqEntry_Page",
                table: "FaqEntry",
                column: "Page");

            migrationBuilder.CreateIndex(
                name: "IX_FaqEntry_Source_SourceId",
                table: "FaqEntry",
                columns: new[] { "Source", "SourceId" });

            migrationBuilder.CreateIndex(
                name: "IX_LiveHost_UserId",
                table: "LiveHost",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_LiveParticipant_SessionId_Key",
                table: "LiveParticipant",
                columns: new[] { "SessionId", "Key" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LiveParticipant_UserId",
                table: "LiveParticipant",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_LivePoll_SessionId",
                table: "LivePoll",
                column: "SessionId");

            migrationBuilder.CreateIndex(
                name: "IX_LivePollAnswer_ParticipantId",
                table: "LivePollAnswer",
                column: "ParticipantId");

            migrationBuilder.CreateIndex(
                name: "IX_LivePollOption_PollId",
                table: "LivePollOption",
                column: "PollId");

            migrationBuilder.CreateIndex(
                name: "IX_LiveQuestion_ParticipantId",
                table: "LiveQuestion",
                column: "ParticipantId");

            migrationBuilder.CreateIndex(
                name: "IX_LiveQuestion_SessionId_Status",
                table: "LiveQuestion",
                columns: new[] { "SessionId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_LiveSession_CreatedById",
                table: "LiveSession",
                column: "CreatedById");

            migrationBuilder.CreateIndex(
                name: "IX_LiveSession_EventId",
                table: "LiveSession",
                column: "EventId");

            migrationBuilder.CreateIndex(
                name: "IX_LiveSession_JoinCode",
                table: "LiveSession",
                column: "JoinCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LiveSession_MeetingId",
                table: "LiveSession",
                column: "MeetingId");

            migrationBuilder.CreateIndex(
                name: "IX_LiveVote_ParticipantId",
                table: "LiveVote",
                column: "ParticipantId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "FaqEntry");

            migrationBuilder.DropTable(
                name: "LiveHost");

            migrationBuilder.DropTable(
                name: "LivePollAnswer");

            migrationBuilder.DropTable(
                name: "LivePollOption");

            migrationBuilder.DropTable(
                name: "LiveVote");

            migrationBuilder.DropTable(
                name: "LivePoll");

            migrationBuilder.DropTable(
                name: "LiveQuestion");

            migrationBuilder.DropTable(
                name: "LiveParticipant");

            migrationBuilder.DropTable(
                name: "LiveSession");
        }
    }
}
