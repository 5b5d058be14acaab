using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DecisionSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text search over the catalog that works for Chinese: FTS5 with the trigram tokenizer (no word
            // segmenter needed), kept in step with the Decision table by triggers.
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE DecisionSearch USING fts5(Title, Summary, content='Decision', content_rowid='Id', tokenize='trigram');
                INSERT INTO DecisionSearch(rowid, Title, Summary) SELECT Id, Title, Summary FROM Decision;
                CREATE TRIGGER Decision_search_insert AFTER INSERT ON Decision BEGIN
                  INSERT INTO DecisionSearch(rowid, Title, Summary) VALUES (new.Id, new.Title, new.Summary);
                END;
                CREATE TRIGGER Decision_search_delete AFTER DELETE ON Decision BEGIN
                  INSERT INTO DecisionSearch(DecisionSearch, rowid, Title, Summary) VALUES ('delete', old.Id, old.Title, old.Summary);
                END;
                CREATE TRIGGER Decision_search_update AFTER UPDATE OF Title, Summary ON Decision BEGIN
                  INSERT INTO DecisionSearch(DecisionSearch, rowid, Title, Summary) VALUES ('delete', old.Id, old.Title, old.Summary);
                  INSERT INTO DecisionSearch(rowid, Title, Summary) VALUES (new.Id, new.Title, new.Summary);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS Decision_search_update;
                DROP TRIGGER IF EXISTS Decision_search_delete;
                DROP TRIGGER IF EXISTS Decision_search_insert;
                DROP TABLE IF EXISTS DecisionSearch;
                """);
        }
    }
}
