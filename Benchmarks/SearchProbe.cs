using System.Diagnostics;
using ChatHub.Server.Storage;

namespace ChatHub.Benchmarks;

/// <summary>Message search at scale (issue 25), per store: <c>messages</c> messages of 8 words each, spread over 1,000
/// conversations in two inboxes, the words drawn from a vocabulary of 20,000 with a long tail (word i about as likely
/// as 1/i: the commonest is in about half of all messages, the rarest in a handful). Then each kind of search is timed
/// one at a time with a stopwatch, p50 / p99 of 100 (after 10 to warm up), the stores interleaved as in
/// <see cref="HistoryProbe"/>: the store's read of a page of 20 (and one more, to know whether more follow), and the
/// reads of a conversation search (contacts matching, and the newest 251 matching messages).
/// <code>dotnet run -c Release --project Benchmarks -- search [messages] [sqlite,litedb,postgres]</code></summary>
public static class SearchProbe
{
    private const int Warmup = 10, Timed = 100, Conversations = 1_000, WordsPerMessage = 8, Vocabulary = 20_000;

    public static async Task RunAsync(string[] args)
    {
        var messages = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var engines = args.Length > 1 ? args[1].Split(',').Select(e => Enum.Parse<Engine>(e, ignoreCase: true)).ToArray() : Enum.GetValues<Engine>();
        Console.WriteLine($"{messages:N0} messages of {WordsPerMessage} words in {Conversations:N0} conversations (2 inboxes); ms p50 / p99");
        var fixtures = new List<(StoreFixture Fixture, long[] Inboxes)>();
        try
        {
            foreach (var engine in engines)
            {
                var fixture = await StoreFixture.OpenAsync(engine);
                var fill = Stopwatch.StartNew();
                var inboxes = await FillAsync(fixture, messages);
                await fixture.AnalyzeAsync();
                fixtures.Add((fixture, inboxes));
                Console.WriteLine($"{engine,-8} filled in {fill.Elapsed.TotalSeconds:F1} s ({messages / fill.Elapsed.TotalSeconds:N0} msgs/s)");
            }
            var kinds = new (string Name, string Q, bool OneInbox, bool Conversations)[]
            {
                ("rare word", Word(Vocabulary - 7), false, false),
                ("mid word (~1%)", Word(300), false, false),
                ("commonest word (~half)", Word(0), false, false),
                ("common + mid words", $"{Word(1)} {Word(300)}", false, false),
                ("3-letter prefix", Word(12)[..3], false, false),
                ("no match", "zzzzzz", false, false),
                ("commonest, one inbox", Word(0), true, false),
                ("conversations: mid word", Word(300), false, true),
            };
            foreach (var (name, q, oneInbox, conversations) in kinds)
            {
                var line = $"  {name,-26}";
                var times = fixtures.Select(_ => new List<double>()).ToList();
                var found = new int[fixtures.Count];
                for (var i = 0; i < Warmup + Timed; i++)
                    for (var s = 0; s < fixtures.Count; s++)
                    {
                        var (fixture, inboxes) = fixtures[s];
                        IReadOnlyList<long> scope = oneInbox ? [inboxes[0]] : inboxes;
                        var started = Stopwatch.GetTimestamp();
                        found[s] = await fixture.Store.ReadAsync(async r =>
                        {
                            if (!conversations) return (await r.SearchMessagesAsync(new MessageSearch(scope, SearchWords.Of(q), 0, 21))).Count;
                            var (byContact, _) = await r.ListConversationsAsync(new ConversationFilter(scope, null, null, false, 0, 251, Search: q));
                            var byText = await r.SearchMessagesAsync(new MessageSearch(scope, SearchWords.Of(q), 0, 251));
                            return byContact.Count + byText.Select(m => m.ConversationId).Distinct().Count();
                        });
                        if (i >= Warmup) times[s].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                Console.WriteLine(line + string.Concat(fixtures.Select((f, s) =>
                    $"   {f.Fixture.Engine} {Percentile(times[s], 0.5):F2} / {Percentile(times[s], 0.99):F2} ({found[s]} found)")));
            }
        }
        finally
        {
            foreach (var (fixture, _) in fixtures) await fixture.DisposeAsync();
        }
    }

    /// <summary>Word i of the vocabulary: three syllables of the base-100 digits of i (6 letters; none of them shares a
    /// conversation's or contact's text).</summary>
    private static string Word(int i)
    {
        const string consonants = "bcdfghjklmnprstvwxyz", vowels = "aeiou";
        Span<char> word = stackalloc char[6];
        for (var s = 0; s < 3; s++, i /= 100) (word[s * 2], word[s * 2 + 1]) = (consonants[i % 100 / 5], vowels[i % 5]);
        return new string(word);
    }

    private static async Task<long[]> FillAsync(StoreFixture fixture, int messages)
    {
        var firstInbox = (await fixture.Store.ReadAsync(r => r.GetConversationAsync(fixture.ConversationId)))!.InboxId;
        var secondInbox = await fixture.Store.WriteAsync(w => w.InsertInboxAsync(new InboxRow { Identifier = "bench-2", Name = "Bench 2", HmacToken = "x", CreatedAt = 1 }));
        var conversations = await fixture.Store.WriteAsync(async w =>
        {
            var rows = new List<ConversationRow>();
            for (var n = 0; n < Conversations; n++)
            {
                var inboxId = n % 2 == 0 ? firstInbox : secondInbox;
                var contactId = await w.InsertContactAsync(new ContactRow
                {
                    InboxId = inboxId, SourceId = $"s{n}", PubsubToken = $"t{n}", PubsubTokenHash = $"h{n}", Name = $"Customer {n}",
                    Email = $"customer{n}@example.com", CreatedAt = 1,
                });
                var c = new ConversationRow { Uuid = Guid.NewGuid().ToString(), InboxId = inboxId, ContactId = contactId, Status = "open", CreatedAt = 1, LastActivityAt = 1 };
                c.Id = await w.InsertConversationAsync(c);
                rows.Add(c);
            }
            return rows;
        });
        var random = new Random(42);
        var logV = Math.Log(Vocabulary + 1);
        string Text()
        {
            var words = new string[WordsPerMessage];
            for (var k = 0; k < words.Length; k++) words[k] = Word((int)Math.Exp(random.NextDouble() * logV) - 1);
            return string.Join(' ', words);
        }
        const int perCommand = 10_000;
        for (var done = 0; done < messages; done += perCommand)
        {
            var batch = Math.Min(perCommand, messages - done);
            var texts = Enumerable.Range(0, batch).Select(_ => Text()).ToList();
            var start = done;
            await fixture.Store.WriteAsync(async w =>
            {
                for (var i = 0; i < batch; i++)
                {
                    var c = conversations[(start + i) % Conversations];
                    c.LastActivityAt = start + i + 1;
                    await w.RecordChangeAsync(c, visibleToContact: true);
                    await w.InsertMessageAsync(new MessageRow
                    {
                        ConversationId = c.Id, Seq = c.Seq, ContactSeq = c.ContactSeq, MessageType = 0, Content = texts[i], ContentType = "text",
                        SenderType = "contact", SenderId = c.ContactId, CreatedAt = start + i + 1, UpdatedAt = start + i + 1,
                    });
                }
                return 0;
            });
            if ((done + batch) % 100_000 == 0) Console.WriteLine($"    {fixture.Engine}: {done + batch:N0}");
        }
        return [firstInbox, secondInbox];
    }

    private static double Percentile(List<double> times, double p)
    {
        var sorted = times.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
    }
}
