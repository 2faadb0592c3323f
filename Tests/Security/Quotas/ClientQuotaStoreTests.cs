using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Quotas;
using Tributary.Grains.Security;

namespace Tributary.Tests.Security.Quotas;

/// <summary>Kafka's <c>ClientQuotaControlManager</c> rules for setting and removing client quotas, with its messages.</summary>
public sealed class ClientQuotaStoreTests
{
    private const string Producer = ClientQuotaKeys.ProducerByteRate;
    private const string Consumer = ClientQuotaKeys.ConsumerByteRate;

    private static readonly ClientQuotaEntity Alice = new(new("alice"), null);

    private readonly ClientQuotaStore _store = new([], 0);

    private static ClientQuotaOperation Set(string key, double value) => new(key, value, Remove: false);

    private static ClientQuotaOperation Remove(string key) => new(key, 0, Remove: true);

    /// <summary>An entry for an entity written "user=alice,client-id" (a type without '=' names its default).</summary>
    private static ClientQuotaAlteration Entry(string entity, params ClientQuotaOperation[] operations) =>
        new([.. entity.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2) is [var t, var n] ? new ClientQuotaEntityPart(t, n) : new ClientQuotaEntityPart(p, null))], operations);

    private Dictionary<string, double>? ValuesOf(ClientQuotaEntity entity) =>
        _store.Entries.SingleOrDefault(e => e.Entity == entity)?.Values.ToDictionary(v => v.Key, v => v.Value);

    private ClientQuotaAlterationOutcome AlterOne(ClientQuotaAlteration entry, bool validateOnly = false) =>
        Assert.Single(_store.Alter([entry], validateOnly));

    [Fact]
    public void SettingAndRemovingValues_ChangesTheEntity_AndMovesTheVersionOncePerRequest()
    {
        Assert.Equal(ErrorCode.None, AlterOne(Entry("user=alice", Set(Producer, 10_000))).Error);
        Assert.Equal(1, _store.Version);
        Assert.Equal(new Dictionary<string, double> { [Producer] = 10_000 }, ValuesOf(Alice));

        AlterOne(Entry("user=alice", Set(Producer, 10_001), Set(Consumer, 20_000)));
        Assert.Equal(2, _store.Version);
        Assert.Equal(new Dictionary<string, double> { [Producer] = 10_001, [Consumer] = 20_000 }, ValuesOf(Alice));

        AlterOne(Entry("user=alice", Remove(Producer)));
        Assert.Equal(3, _store.Version);
        Assert.Equal(new Dictionary<string, double> { [Consumer] = 20_000 }, ValuesOf(Alice));
    }

    [Fact]
    public void SettingTheSameValueOrRemovingAnAbsentKey_SucceedsWithoutMovingTheVersion()
    {
        AlterOne(Entry("user=alice", Set(Producer, 10_000)));

        Assert.Equal(ErrorCode.None, AlterOne(Entry("user=alice", Set(Producer, 10_000))).Error);
        Assert.Equal(ErrorCode.None, AlterOne(Entry("user=alice", Remove(ClientQuotaKeys.RequestPercentage))).Error);
        Assert.Equal(ErrorCode.None, AlterOne(Entry("user=bob", Remove(Producer))).Error);

        Assert.Equal(1, _store.Version);
        Assert.Equal([Alice], _store.Entries.Select(e => e.Entity));
    }

    [Fact]
    public void RemovingTheLastKey_RemovesTheEntity()
    {
        AlterOne(Entry("user=alice", Set(Producer, 10_000), Set(Consumer, 20_000)));

        AlterOne(Entry("user=alice", Remove(Producer), Remove(Consumer)));

        Assert.Empty(_store.Entries);
        Assert.Equal(2, _store.Version);
    }

    [Fact]
    public void ValidateOnly_ChecksEachEntry_ButChangesNothing()
    {
        var outcomes = _store.Alter([Entry("user=alice", Set(Producer, 10_000)), Entry("user=bob", Set(Producer, 0))], validateOnly: true);

        Assert.Equal([ErrorCode.None, ErrorCode.InvalidRequest], outcomes.Select(o => o.Error));
        Assert.Empty(_store.Entries);
        Assert.Equal(0, _store.Version);
    }

    [Fact]
    public void EachEntry_IsCheckedAndAppliedOnItsOwn_AndAnsweredWithTheEntityAsSent()
    {
        var good = Entry("user=alice,client-id=app", Set(Producer, 1_000));
        var bad = Entry("user=bob", Set(Producer, 1_000), Set(Consumer, -1));
        var outcomes = _store.Alter([bad, good], validateOnly: false);

        Assert.Equal([ErrorCode.InvalidRequest, ErrorCode.None], outcomes.Select(o => o.Error));
        Assert.Same(bad.Entity, outcomes[0].Entity);
        Assert.Same(good.Entity, outcomes[1].Entity);
        Assert.Null(outcomes[1].Message);
        Assert.Equal([new ClientQuotaEntity(new("alice"), new("app"))], _store.Entries.Select(e => e.Entity));
    }

    [Fact]
    public void DefaultNames_AreNull_AndEntitiesOfTheirOwn()
    {
        var outcomes = _store.Alter(
            [Entry("user", Set(Producer, 1)), Entry("user,client-id", Set(Producer, 2)), Entry("client-id", Set(Producer, 3)), Entry("ip", Set(ClientQuotaKeys.ConnectionCreationRate, 4))],
            validateOnly: false);

        Assert.All(outcomes, o => Assert.Equal(ErrorCode.None, o.Error));
        Assert.Equal(1, ValuesOf(new(ClientQuotaName.Default, null))![Producer]);
        Assert.Equal(2, ValuesOf(new(ClientQuotaName.Default, ClientQuotaName.Default))![Producer]);
        Assert.Equal(3, ValuesOf(new(null, ClientQuotaName.Default))![Producer]);
        Assert.Equal(4, ValuesOf(new(null, null, ClientQuotaName.Default))![ClientQuotaKeys.ConnectionCreationRate]);
        Assert.Null(ValuesOf(Alice));
    }

    [Theory]
    [InlineData("", "Invalid empty client quota entity")]
    [InlineData("foo=bar", "Unhandled client quota entity type: foo")]
    [InlineData("user=alice,foo=bar", "Unhandled client quota entity type: foo")]
    [InlineData("user=alice,user=bob", "Invalid client quota entity, duplicate entity entry user")]
    [InlineData("user=", "Empty user not supported")]
    [InlineData("user=alice,client-id=", "Empty client-id not supported")]
    [InlineData("ip=", "Empty ip not supported")]
    [InlineData("ip=example.invalid", "example.invalid is not a valid IP or resolvable host.")]
    public void AnInvalidEntity_IsRefusedWithKafkasMessage(string entity, string message)
    {
        var outcome = AlterOne(Entry(entity, Set(Producer, 10_000)));

        Assert.Equal(ErrorCode.InvalidRequest, outcome.Error);
        Assert.Equal(message, outcome.Message);
        Assert.Empty(_store.Entries);
        Assert.Equal(0, _store.Version);
    }

    [Theory]
    [InlineData("user=alice,ip=1.2.3.4")]
    [InlineData("client-id=app,ip=1.2.3.4")]
    [InlineData("user,ip")]
    public void IpCombinedWithUserOrClientId_IsRefusedWithKafkasExactMessage(string entity)
    {
        var outcome = AlterOne(Entry(entity, Set(ClientQuotaKeys.ConnectionCreationRate, 10)));

        // Kafka's message lacks the space between "should" and "not" (its own test asserts it so).
        Assert.Equal(ErrorCode.InvalidRequest, outcome.Error);
        Assert.Equal("Invalid quota entity combination, IP entity shouldnot be combined with User or ClientId", outcome.Message);
        Assert.Empty(_store.Entries);
    }

    [Theory]
    [InlineData("ip=1.2.3.4")]
    [InlineData("ip=::1")]
    [InlineData("ip")]
    public void AnIpEntity_TakesConnectionCreationRate(string entity)
    {
        Assert.Equal(ErrorCode.None, AlterOne(Entry(entity, Set(ClientQuotaKeys.ConnectionCreationRate, 10))).Error);
        Assert.Single(_store.Entries);
    }

    [Theory]
    [InlineData("user=alice", "not.a.quota.key", 1.0, "Invalid configuration key not.a.quota.key")]
    [InlineData("user=alice", "connection_creation_rate", 10.0, "Invalid configuration key connection_creation_rate")]
    [InlineData("ip=1.2.3.4", "producer_byte_rate", 10.0, "Invalid configuration key producer_byte_rate")]
    [InlineData("user=alice", "producer_byte_rate", 0.0, "Quota producer_byte_rate must be greater than 0")]
    [InlineData("client-id=app", "consumer_byte_rate", -2.0, "Quota consumer_byte_rate must be greater than 0")]
    [InlineData("user=alice", "request_percentage", 0.0, "Quota request_percentage must be greater than 0")]
    [InlineData("user=alice", "producer_byte_rate", 2.245, "producer_byte_rate cannot be a fractional value.")]
    [InlineData("ip=1.2.3.4", "connection_creation_rate", 2.5, "connection_creation_rate cannot be a fractional value.")]
    [InlineData("ip=1.2.3.4", "connection_creation_rate", 3e9, "Proposed value for connection_creation_rate is too large for an INT.")]
    [InlineData("user=alice", "consumer_byte_rate", 36893488147419103232.4, "Proposed value for consumer_byte_rate is too large for a LONG.")]
    public void AnInvalidValue_IsRefusedWithKafkasMessage(string entity, string key, double value, string message)
    {
        var outcome = AlterOne(Entry(entity, Set(key, value)));

        Assert.Equal(ErrorCode.InvalidRequest, outcome.Error);
        Assert.Equal(message, outcome.Message);
        Assert.Empty(_store.Entries);
    }

    [Fact]
    public void FractionalValues_AreTakenByDoubleKeys_AndWithinAMillionthByIntegralOnes()
    {
        var outcome = AlterOne(Entry("user=alice",
            Set(ClientQuotaKeys.RequestPercentage, 56.62367), Set(ClientQuotaKeys.ControllerMutationRate, 0.5), Set(Consumer, 1235.0000001)));

        Assert.Equal(ErrorCode.None, outcome.Error);
        Assert.Equal(
            new Dictionary<string, double> { [ClientQuotaKeys.RequestPercentage] = 56.62367, [ClientQuotaKeys.ControllerMutationRate] = 0.5, [Consumer] = 1235.0000001 },
            ValuesOf(Alice));
    }

    [Fact]
    public void RemovingAKey_IsNotCheckedAgainstTheEntitysKeys()
    {
        Assert.Equal(ErrorCode.None, AlterOne(Entry("user=alice", Remove("not.a.quota.key"))).Error);
        Assert.Equal(0, _store.Version);
    }

    [Fact]
    public void AnEntryWithOneInvalidValue_ChangesNoneOfItsKeys()
    {
        AlterOne(Entry("user=alice", Set(Producer, 1_000)));

        var outcome = AlterOne(Entry("user=alice", Set(ClientQuotaKeys.RequestPercentage, 50), Remove(Producer), Set(Consumer, 0)));

        Assert.Equal("Quota consumer_byte_rate must be greater than 0", outcome.Message);
        Assert.Equal(new Dictionary<string, double> { [Producer] = 1_000 }, ValuesOf(Alice));
        Assert.Equal(1, _store.Version);
    }

    [Fact]
    public void ADuplicateKeyInOneEntry_RefusesTheEntry()
    {
        var outcome = AlterOne(Entry("user=alice", Set(Producer, 1_000), Set(Consumer, 1_000), Set(Producer, 2_000)));

        Assert.Equal(ErrorCode.InvalidRequest, outcome.Error);
        Assert.StartsWith("Duplicate quota key producer_byte_rate not updating quota for this entity ", outcome.Message);
        Assert.Empty(_store.Entries);
    }

    [Fact]
    public void TheSameEntityTwiceInOneRequest_IsRefusedInBoth_AndAppliedInNeither()
    {
        var outcomes = _store.Alter(
        [
            Entry("user=alice,client-id=app", Set(Producer, 1_000)),
            Entry("user=bob", Set(Producer, 1_000)),
            Entry("client-id=app,user=alice", Set(Consumer, 1_000)),
            Entry("user", Set(Producer, 1_000)),
            Entry("user", Set(Producer, 0)),
        ],
            validateOnly: false);

        var refused = outcomes.Where(o => o.Entity.Any(p => p.Name is "alice" or null)).ToList();
        Assert.Equal(outcomes.Count - 1, refused.Count);
        Assert.All(refused, o => Assert.Equal(ErrorCode.InvalidRequest, o.Error));
        Assert.All(refused, o => Assert.StartsWith("Ignoring duplicate entity ", o.Message));
        Assert.Equal([new ClientQuotaEntity(new("bob"), null)], _store.Entries.Select(e => e.Entity));
    }

    [Fact]
    public void TheEntityInAMessage_IsWrittenAsKafkasClientQuotaEntity()
    {
        var outcomes = _store.Alter([Entry("user=alice", Set(Producer, 1)), Entry("user=alice", Set(Producer, 2)), Entry("client-id", Set(Producer, 1)), Entry("client-id", Set(Producer, 2))], validateOnly: false);

        Assert.Equal("Ignoring duplicate entity ClientQuotaEntity(entries={user=alice})", outcomes[0].Message);
        Assert.Equal("Ignoring duplicate entity ClientQuotaEntity(entries={client-id=null})", outcomes.Last().Message);
    }

    [Fact]
    public void AStoreBuiltFromEntries_ServesThemAtItsVersion_WithKeysInOrder()
    {
        var store = new ClientQuotaStore([new(Alice, [new(Producer, 5), new(Consumer, 6)])], 7);

        var entry = Assert.Single(store.Entries);
        Assert.Equal([Consumer, Producer], entry.Values.Select(v => v.Key));
        Assert.Equal(7, store.Version);

        store.Alter([Entry("user=alice", Remove(Consumer))], validateOnly: false);
        Assert.Equal(8, store.Version);
    }
}

/// <summary>Kafka's eight-level quota precedence (<c>DefaultQuotaCallback</c>), with the user and client-id tags each level shares a rate by.</summary>
public sealed class ClientQuotaResolverTests
{
    private const string Producer = ClientQuotaKeys.ProducerByteRate;

    private static readonly ClientQuotaName Alice = new("alice"), App = new("app"), Any = ClientQuotaName.Default;

    /// <summary>Kafka's levels, first wins, and the (user, client-id) tags of each.</summary>
    private static readonly (ClientQuotaEntity Entity, string User, string ClientId)[] Levels =
    [
        (new(Alice, App), "alice", "app"),
        (new(Alice, Any), "alice", "app"),
        (new(Alice, null), "alice", ""),
        (new(Any, App), "alice", "app"),
        (new(Any, Any), "alice", "app"),
        (new(Any, null), "alice", ""),
        (new(null, App), "", "app"),
        (new(null, Any), "", "app"),
    ];

    /// <summary>Entities that must never bound alice's "app": other users, other client ids, IP addresses.</summary>
    private static readonly ClientQuotaEntry[] Others =
    [
        new(new(new("bob"), App), [new(Producer, 1)]),
        new(new(new("bob"), null), [new(Producer, 1)]),
        new(new(Alice, new("other")), [new(Producer, 1)]),
        new(new(null, new("other")), [new(Producer, 1)]),
        new(new(null, null, Any), [new(Producer, 1)]),
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    public void TheFirstLevelSettingTheKey_Wins_WithThatLevelsTags(int level)
    {
        var resolver = new ClientQuotaResolver([.. Others, .. Levels.Skip(level).Select((l, i) => new ClientQuotaEntry(l.Entity, [new(Producer, 100 + level + i)]))]);

        Assert.Equal(new ClientQuotaBound(100 + level, Levels[level].User, Levels[level].ClientId), resolver.Resolve(Producer, "alice", "app"));
    }

    [Fact]
    public void WithoutAnEntityForTheClient_NothingBoundsIt()
    {
        Assert.Null(ClientQuotaResolver.Empty.Resolve(Producer, "alice", "app"));
        Assert.Null(new ClientQuotaResolver(Others).Resolve(Producer, "alice", "app"));
        Assert.Null(new ClientQuotaResolver(Others).Resolve(ClientQuotaKeys.ConsumerByteRate, "bob", "app"));
    }

    [Fact]
    public void EachKey_IsResolvedOnItsOwn()
    {
        var resolver = new ClientQuotaResolver(
        [
            new(new(Alice, null), [new(Producer, 10)]),
            new(new(null, Any), [new(ClientQuotaKeys.ConsumerByteRate, 20), new(Producer, 30)]),
        ]);

        Assert.Equal(new ClientQuotaBound(10, "alice", ""), resolver.Resolve(Producer, "alice", "app"));
        Assert.Equal(new ClientQuotaBound(20, "", "app"), resolver.Resolve(ClientQuotaKeys.ConsumerByteRate, "alice", "app"));
        Assert.Equal(new ClientQuotaBound(30, "", "app"), resolver.Resolve(Producer, "bob", "app"));
        Assert.Null(resolver.Resolve(ClientQuotaKeys.RequestPercentage, "alice", "app"));
        Assert.True(resolver.Sets(ClientQuotaKeys.ConsumerByteRate));
        Assert.False(resolver.Sets(ClientQuotaKeys.RequestPercentage));
    }

    [Fact]
    public void AnIp_IsBoundByItsOwnQuota_ElseByTheIpDefault()
    {
        const string Rate = ClientQuotaKeys.ConnectionCreationRate;
        var withDefault = new ClientQuotaResolver([new(new(null, null, new("1.2.3.4")), [new(Rate, 5)]), new(new(null, null, Any), [new(Rate, 10)])]);
        var withoutDefault = new ClientQuotaResolver([new(new(null, null, new("1.2.3.4")), [new(Rate, 5)]), new(new(Any, Any), [new(Rate, 10)])]);

        Assert.Equal(5, withDefault.ResolveIp(Rate, "1.2.3.4"));
        Assert.Equal(10, withDefault.ResolveIp(Rate, "5.6.7.8"));
        Assert.Null(withDefault.ResolveIp(Producer, "1.2.3.4"));
        Assert.Equal(5, withoutDefault.ResolveIp(Rate, "1.2.3.4"));
        Assert.Null(withoutDefault.ResolveIp(Rate, "5.6.7.8"));
    }

    [Theory]
    [InlineData("::1", "0:0:0:0:0:0:0:1")]
    [InlineData("2001:db8::1", "2001:db8:0:0:0:0:0:1")]
    [InlineData("::ffff:10.0.0.5", "10.0.0.5")]
    public void AnIpQuota_MatchesClientsAddressesAsKafkaWritesThem_HoweverItWasSet(string set, string client)
    {
        const string Rate = ClientQuotaKeys.ConnectionCreationRate;
        var resolver = new ClientQuotaResolver([new(new(null, null, new(set)), [new(Rate, 5)])]);

        Assert.Equal(5, resolver.ResolveIp(Rate, client));
    }
}

/// <summary>DescribeClientQuotas' filter as Kafka's <c>ClientQuotasImage.describe</c> applies and refuses it.</summary>
public sealed class ClientQuotaFilterTests
{
    private static readonly ClientQuotaName Alice = new("alice"), App = new("app"), Any = ClientQuotaName.Default;

    private static readonly ClientQuotaEntry[] Entries =
    [
        .. new ClientQuotaEntity[]
        {
            new(Alice, null), new(Alice, App), new(Any, null), new(Any, Any), new(null, App), new(null, Any), new(null, null, new("1.2.3.4")), new(null, null, Any),
        }.Select(e => new ClientQuotaEntry(e, [new(ClientQuotaKeys.ProducerByteRate, 1)])),
    ];

    /// <summary>Components written "user:exact:alice,client-id:default" (the match type a name or a number).</summary>
    private static List<ClientQuotaFilterComponent> Components(string filter) =>
    [
        .. filter.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(c => c.Split(':')).Select(c => new ClientQuotaFilterComponent(
            c[0],
            c[1] switch { "exact" => ClientQuotaMatchType.Exact, "default" => ClientQuotaMatchType.Default, "specified" => ClientQuotaMatchType.Specified, var n => (ClientQuotaMatchType)sbyte.Parse(n) },
            c.Length > 2 ? c[2] : null)),
    ];

    private static string Show(ClientQuotaEntity entity) => string.Join(",", entity.Parts().Select(p => $"{p.Type}={p.Name ?? "<default>"}"));

    [Theory]
    [InlineData("user:exact:alice", false, "user=alice;user=alice,client-id=app")]
    [InlineData("user:exact:alice", true, "user=alice")]
    [InlineData("user:exact:nobody", false, "")]
    [InlineData("user:default", false, "user=<default>;user=<default>,client-id=<default>")]
    [InlineData("user:default", true, "user=<default>")]
    [InlineData("user:specified", false, "user=alice;user=alice,client-id=app;user=<default>;user=<default>,client-id=<default>")]
    [InlineData("user:specified", true, "user=alice;user=<default>")]
    [InlineData("user:specified,client-id:specified", true, "user=alice,client-id=app;user=<default>,client-id=<default>")]
    [InlineData("user:default,client-id:exact:app", false, "")]
    [InlineData("client-id:exact:app", false, "user=alice,client-id=app;client-id=app")]
    [InlineData("client-id:default", true, "client-id=<default>")]
    [InlineData("ip:specified", false, "ip=1.2.3.4;ip=<default>")]
    [InlineData("ip:exact:1.2.3.4", false, "ip=1.2.3.4")]
    [InlineData("ip:default", true, "ip=<default>")]
    [InlineData("", true, "")]
    [InlineData("", false, "user=alice;user=alice,client-id=app;user=<default>;user=<default>,client-id=<default>;client-id=app;client-id=<default>;ip=1.2.3.4;ip=<default>")]
    public void AFilter_SelectsTheEntitiesEveryComponentMatches_AndWhenStrictOnlyThoseWithNoOtherType(string filter, bool strict, string expected)
    {
        var (error, message, entries) = ClientQuotaFilter.Describe(Entries, Components(filter), strict);

        Assert.Equal(ErrorCode.None, error);
        Assert.Null(message);
        Assert.Equal(expected.Split(';', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), entries.Select(e => Show(e.Entity)).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(":exact:alice", 42, "Invalid empty entity type.")]
    [InlineData("user:exact:alice,user:default", 42, "Entity type user cannot appear more than once in the filter.")]
    [InlineData("client-id:specified,client-id:specified", 42, "Entity type client-id cannot appear more than once in the filter.")]
    [InlineData("group:specified", 35, "Unsupported entity type group")]
    [InlineData("user:exact", 42, "Request specified MATCH_TYPE_EXACT, but set match string to null.")]
    [InlineData("user:default:alice", 42, "Request specified MATCH_TYPE_DEFAULT, but also specified a match string.")]
    [InlineData("user:specified:alice", 42, "Request specified MATCH_TYPE_SPECIFIED, but also specified a match string.")]
    [InlineData("user:3", 42, "Unknown match type 3")]
    [InlineData("ip:specified,user:exact:alice", 42, "Invalid entity filter component combination. IP filter component should not be used with user or clientId filter component.")]
    [InlineData("client-id:default,ip:default", 42, "Invalid entity filter component combination. IP filter component should not be used with user or clientId filter component.")]
    public void AFilterKafkaRefuses_IsRefusedWithItsErrorAndMessage(string filter, int code, string message)
    {
        var (error, actualMessage, entries) = ClientQuotaFilter.Describe(Entries, Components(filter), strict: false);

        Assert.Equal((ErrorCode)code, error);
        Assert.Equal(message, actualMessage);
        Assert.Empty(entries);
    }
}
