using System.Text.Json;

namespace Engagement.UnitTests.Adoption;

/// <summary>The hand-labelled comments in tests/data/clustering, and the quality baseline stored beside them.</summary>
public sealed record LabelledComments(string Description, IReadOnlyList<LabelledDraft> Drafts, IReadOnlyList<LabelledComment> Comments)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "data", "clustering");
                if (Directory.Exists(candidate)) return candidate;
            }
            throw new DirectoryNotFoundException("tests/data/clustering not found above " + AppContext.BaseDirectory);
        }
    }

    public static LabelledComments Load() =>
        JsonSerializer.Deserialize<LabelledComments>(File.ReadAllText(Path.Combine(Folder, "labelled-comments.json")), Json)!;

    /// <summary>The honest set: one draft a file in honest/, written as residents write (see its README).</summary>
    public static IReadOnlyList<LabelledComment> LoadHonest() =>
        Directory.GetFiles(Path.Combine(Folder, "honest"), "*.json").Order().SelectMany(file =>
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            var draft = json.RootElement.GetProperty("draft").GetProperty("id").GetString()!;
            return json.RootElement.GetProperty("comments").EnumerateArray()
                .Select(c => new LabelledComment(draft, c.GetProperty("label").GetString()!, c.GetProperty("text").GetString()!)).ToList();
        }).ToList();

    public static QualityBaseline Baseline() =>
        JsonSerializer.Deserialize<QualityBaseline>(File.ReadAllText(Path.Combine(Folder, "baseline.json")), Json)!;
}

public sealed record LabelledDraft(string Id, string Title);

public sealed record LabelledComment(string Draft, string Label, string Text);

public sealed record QualityBaseline(double Precision, double Recall, QualityFloor? Honest);

public sealed record QualityFloor(double Precision, double Recall);
