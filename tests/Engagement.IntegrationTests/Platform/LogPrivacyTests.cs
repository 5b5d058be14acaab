using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Engagement.IntegrationTests.Infrastructure;

namespace Engagement.IntegrationTests.Platform;

/// <summary>
/// The site as deployed (a real process, outside Development) writes its console log as JSON, a line an object, with
/// the trace and span ids and the request path; and no line carries the personal data residents put into a comment,
/// a message and a meeting application, not even when the mail server refuses their address and quotes it back.
/// </summary>
public sealed class LogPrivacyTests : IAsyncLifetime
{
    private const string Password = "Log-test-2026";
    private readonly string _work = Directory.CreateTempSubdirectory("engagement-logs-").FullName;
    private readonly RefusingMailServer _mail = new();

    // Written as people write: a name with a full address, a mobile split in groups, an ID card with its X, a
    // landline with its area code, an e-mail in full-width characters, a name repeated in a statement.
    private const string CommentText = "我是住在长宁路1158弄3号602室的张秀英，电话13917463528，身份证31010519580312441X，邮箱 zhangxy1958@163.com。" +
        "加装电梯我同意，但一楼住户要有补偿。";
    private const string MessageText = "王主任您好，我的手机是 139 1746 3528（微信同号），家里座机 021-62512345，" +
        "地址：天山路街道娄山关路500弄12号301室，邮箱ｌｕｏｇｕｉｆａｎｇ＠ｑｑ．ｃｏｍ。我们楼加装电梯的申请材料交到哪里？";
    private const string ApplicantName = "李美华";
    private const string ApplicantPhone = "136-6182-7394";
    private const string Statement = "我是退休教师李美华，身份证310105196203152228，在新泾镇住了三十年，关心老旧小区改造。";

    private static readonly string[] PersonalData =
    [
        "张秀英", "长宁路1158弄", "13917463528", "31010519580312441X", "31010519580312441x", "zhangxy1958", "一楼住户要有补偿",
        "1746 3528", "13917463528", "62512345", "娄山关路500弄", "ｌｕｏｇｕｉｆａｎｇ", "luoguifang", "申请材料交到哪里",
        ApplicantName, "6182-7394", "13661827394", "310105196203152228", "老旧小区改造",
        // The residents' own sign-in addresses, which the outbox writes to.
        "resident1@example.org", "resident2@example.org",
    ];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _mail.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_work, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Logs_are_json_lines_with_trace_ids_and_carry_none_of_the_personal_data_residents_sent()
    {
        await using var site = new SiteProcess(new Dictionary<string, string>
        {
            ["Database__Provider"] = "Sqlite",
            ["ConnectionStrings__Engagement"] = $"Data Source={Path.Combine(_work, "engagement.db")}",
            ["Demo__Enabled"] = "true",
            ["Demo__Residents"] = "3",
            ["Demo__Password"] = Password,
            ["RateLimiting__Enabled"] = "false",
            ["Outbox__PollSeconds"] = "0.3",
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = _mail.Port.ToString(),
            ["Smtp__UseStartTls"] = "false",
            // Operators turn this on to see each request; its lines must be as clean as the rest.
            ["Logging__Requests"] = "true",
            ["Logging__LogLevel__Engagement"] = "Debug",
        });
        await site.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };

        async Task<HttpClient> SignedInAsync(string email)
        {
            var client = new HttpClient { BaseAddress = new Uri(site.BaseUrl) };
            var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password });
            login.EnsureSuccessStatusCode();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                (await login.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString());
            return client;
        }

        var decisions = await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/decisions?status=open");
        var open = decisions.EnumerateArray().First(d => d.GetProperty("title").GetString()!.Contains("加装电梯")).GetProperty("id").GetInt32();
        var resident = await SignedInAsync("resident1@example.org");
        var comment = await resident.PostAsJsonAsync($"/api/v1/decisions/{open}/comments", new { text = CommentText });
        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        var commentId = (await comment.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.Created, (await resident.PostAsJsonAsync("/api/v1/messages", new { text = MessageText, decisionId = open, consentToPublish = true })).StatusCode);

        var applicant = await SignedInAsync("resident2@example.org");
        var applied = false;
        foreach (var meeting in (await anonymous.GetFromJsonAsync<JsonElement>("/api/v1/meetings")).EnumerateArray().Select(m => m.GetProperty("id").GetInt32()))
        {
            var application = await applicant.PostAsJsonAsync($"/api/v1/meetings/{meeting}/applications", new
            {
                realName = ApplicantName, phone = ApplicantPhone, category = "resident", connection = "lives", statement = Statement, consent = true,
            });
            if (application.StatusCode == HttpStatusCode.Created) { applied = true; break; }
        }
        Assert.True(applied, "no demo meeting took the application");

        // A refused, malformed and hostile request each, so error paths log too.
        Assert.False((await resident.PostAsync($"/api/v1/decisions/{open}/comments",
            new StringContent("{\"text\": \"张秀英 13917463528", Encoding.UTF8, "application/json"))).IsSuccessStatusCode);
        // A resident searching for what they wrote, by their own name and number: the query string is never logged.
        await anonymous.GetAsync("/decisions?q=" + Uri.EscapeDataString("张秀英 13917463528"));
        await anonymous.GetAsync("/api/v1/decisions?q=" + Uri.EscapeDataString("张秀英"));

        // Staff approve the comment: its author is e-mailed, and the mail server refuses the address, quoting it.
        var staff = await SignedInAsync("housing@example.org");
        Assert.True((await staff.PostAsync($"/api/v1/moderation/comments/{commentId}/approve", null)).IsSuccessStatusCode);
        // Wait for the refusal quoting resident1's address, and for as many logged failures as there were refusals.
        int Failures() => site.Log.Split('\n').Count(l => l.Contains("Outbox message", StringComparison.Ordinal) && l.Contains("SmtpCommandException", StringComparison.Ordinal));
        int Refusals() => _mail.Refused.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        for (var i = 0; i < 150 && !(_mail.Refused.Contains("resident1@example.org") && Failures() >= Refusals()); i++) await Task.Delay(200);
        Assert.Contains("resident1@example.org", _mail.Refused); // the refusal really quoted the address
        Assert.True(Failures() >= Refusals(), $"{Refusals()} refusals, {Failures()} failures logged");

        var lines = site.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(line =>
        {
            try
            {
                return JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException)
            {
                throw new Xunit.Sdk.XunitException($"not a JSON log line: {line}");
            }
        }).ToList();
        Assert.All(entries, e =>
        {
            Assert.True(e.TryGetProperty("Timestamp", out _));
            Assert.True(e.TryGetProperty("LogLevel", out _));
            Assert.True(e.TryGetProperty("Category", out _));
            Assert.True(e.TryGetProperty("Message", out _));
        });
        Assert.Contains(entries, e => e.GetProperty("Message").GetString()!.Contains("Outbox message") && e.GetProperty("Message").GetString()!.Contains("SmtpCommandException"));

        // A request's lines carry its trace, span and path.
        var requestLines = entries.Where(e => e.GetProperty("Category").GetString()!.StartsWith("Microsoft.AspNetCore.HttpLogging", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(requestLines);
        Assert.All(requestLines, e =>
        {
            var scopes = e.GetProperty("Scopes").EnumerateArray().Where(s => s.ValueKind == JsonValueKind.Object).ToList();
            Assert.Contains(scopes, s => s.TryGetProperty("TraceId", out var t) && t.GetString()!.Length == 32);
            Assert.Contains(scopes, s => s.TryGetProperty("SpanId", out var t) && t.GetString()!.Length == 16);
            Assert.Contains(scopes, s => s.TryGetProperty("RequestPath", out var p) && p.GetString()!.StartsWith('/'));
        });

        // And none of it names anyone: not as written, not decoded from JSON escapes.
        var decoded = string.Join('\n', entries.Select(e => e.ToString()));
        foreach (var value in PersonalData)
        {
            Assert.False(site.Log.Contains(value, StringComparison.OrdinalIgnoreCase), $"the log carries \"{value}\":\n{Around(site.Log, value)}");
            Assert.False(decoded.Contains(value, StringComparison.OrdinalIgnoreCase), $"the log carries \"{value}\" (escaped):\n{Around(decoded, value)}");
        }
    }

    private static string Around(string text, string value)
    {
        var at = text.IndexOf(value, StringComparison.OrdinalIgnoreCase);
        return text.Substring(Math.Max(0, at - 300), Math.Min(text.Length - Math.Max(0, at - 300), 600 + value.Length));
    }

    /// <summary>An SMTP server that refuses every recipient, quoting the address back as real servers do.</summary>
    private sealed class RefusingMailServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<string> _refused = [];

        public RefusingMailServer()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
        public string Refused { get { lock (_refused) return string.Join('\n', _refused); } }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (Exception) { return; }
                _ = ServeAsync(client);
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            using var _ = client;
            try
            {
                var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII);
                var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                await writer.WriteLineAsync("220 mail.example.gov.cn ESMTP");
                while (await reader.ReadLineAsync() is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO":
                            await writer.WriteLineAsync("250-mail.example.gov.cn");
                            await writer.WriteLineAsync("250 8BITMIME");
                            break;
                        case "RCPT":
                            var address = line[(line.IndexOf(':') + 1)..].Trim();
                            lock (_refused) _refused.Add(address);
                            await writer.WriteLineAsync($"550 5.1.1 {address}: Recipient address rejected: User unknown in virtual mailbox table");
                            break;
                        case "QUIT":
                            await writer.WriteLineAsync("221 Bye");
                            return;
                        default:
                            await writer.WriteLineAsync("250 OK");
                            break;
                    }
                }
            }
            catch (IOException) { }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
