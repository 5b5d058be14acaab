using Engagement.Web.Features.Meetings;

namespace Engagement.UnitTests.Meetings;

/// <summary>The commitment, the normalisation of a lottery result and the seed, against vectors computed with the script in docs/SELECTION.md.</summary>
public sealed class DrawCommitmentTests
{
    private static readonly string Secret = "5e2b" + new string('0', 60);

    [Fact]
    public void The_commitment_and_the_seed_match_the_published_scripts_vectors()
    {
        Assert.Equal("0dd861499097306948326faaae5116045583c24de36a03d620c73c08fb980c6d", DrawCommitment.Commit(Secret));
        Assert.Equal("64a516b0a55cfb04d38bf814445c3b4e6088b092d8150c4b602f50fdc0c780dd", DrawCommitment.Seed(Secret, "2026142 3 7 12 19 25 31 9"));
    }

    [Theory]
    [InlineData("2026142: 03 07 12 19 25 31 + 09")]
    [InlineData("2026142期：03 07 12 19 25 31 + 09")]
    [InlineData("2026142: 3,7,12,19,25,31+9")]
    [InlineData("  第2026142期  红球 03 07 12 19 25 31  蓝球 09 ")]
    [InlineData("２０２６１４２：０３　０７　１２　１９　２５　３１＋０９")]
    [InlineData("2026142\n03 07 12 19 25 31\n09")]
    public void A_result_reads_the_same_however_it_was_typed(string typed) =>
        Assert.Equal("2026142 3 7 12 19 25 31 9", DrawCommitment.Normalise(typed));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("双色球")]
    [InlineData("2026142")]
    [InlineData("2026142: 123456789012345678901 5")]
    public void Something_without_a_draw_number_and_a_drawn_number_is_no_result(string? typed) => Assert.Null(DrawCommitment.Normalise(typed));

    [Fact]
    public void Zero_stays_a_number_and_order_matters()
    {
        Assert.Equal("2026142 0 7", DrawCommitment.Normalise("2026142: 00 07"));
        Assert.NotEqual(DrawCommitment.Normalise("2026142: 03 07"), DrawCommitment.Normalise("2026142: 07 03"));
        Assert.Equal("2026142", DrawCommitment.DrawNumberOf("2026142 3 7"));
    }

    [Fact]
    public void Secrets_are_256_random_bits_in_lowercase_hex_and_never_repeat()
    {
        var secrets = Enumerable.Range(0, 200).Select(_ => DrawCommitment.NewSecret()).ToList();
        Assert.All(secrets, s => Assert.True(DrawCommitment.IsSecret(s), s));
        Assert.Equal(secrets.Count, secrets.Distinct().Count());
        Assert.False(DrawCommitment.IsSecret("5E2B" + new string('0', 60)));
    }

    [Fact]
    public void A_different_secret_or_result_gives_a_different_seed()
    {
        var seed = DrawCommitment.Seed(Secret, "2026142 3 7 12 19 25 31 9");
        Assert.NotEqual(seed, DrawCommitment.Seed(Secret, "2026142 3 7 12 19 25 31 10"));
        Assert.NotEqual(seed, DrawCommitment.Seed("5e2c" + new string('0', 60), "2026142 3 7 12 19 25 31 9"));
    }
}
