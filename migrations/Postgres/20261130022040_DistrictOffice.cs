using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Engagement.Web.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DistrictOffice : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsDistrictOffice",
                table: "Units",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // An existing site: the one unit of the district office's kind takes the role, as the admin would choose.
            migrationBuilder.Sql("UPDATE \"Units\" SET \"IsDistrictOffice\" = TRUE WHERE \"Id\" = (SELECT MIN(\"Id\") FROM \"Units\" WHERE \"Kind\" = 'DistrictOffice') "
                + "AND (SELECT COUNT(*) FROM \"Units\" WHERE \"Kind\" = 'DistrictOffice') = 1");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "IsDistrictOffice",
                table: "Units");
        }
    }
}
