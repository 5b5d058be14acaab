using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DecisionSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Full-text search over the catalog that works for Chinese: trigram GIN indexes (pg_trgm) serve
            // ILIKE '%...%' without a table scan for queries of three characters or more.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS pg_trgm;
                CREATE INDEX "IX_Decision_Title_trgm" ON "Decision" USING gin ("Title" gin_trgm_ops);
                CREATE INDEX "IX_Decision_Summary_trgm" ON "Decision" USING gin ("Summary" gin_trgm_ops);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS "IX_Decision_Summary_trgm";
                DROP INDEX IF EXISTS "IX_Decision_Title_trgm";
                """);
        }
    }
}
