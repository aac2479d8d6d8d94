namespace Community360.Cases.Repeats;

/// <summary>Size of a <see cref="RepeatIndex"/>, for health pages and capacity planning.</summary>
public sealed record RepeatIndexStatistics(int Documents, int Slots, int Terms, long Postings, long ApproximateBytes);

/// <summary>
/// Finds earlier cases that may be the same problem as a new one: within the window, the cases with the same phone hash,
/// at the same place, in the same compound with the same subcategory, and the best text matches; each scored on
/// category, place and content together (<see cref="RepeatRules"/>, <see cref="RepeatThresholds"/>).
/// <para>
/// Everything is in memory and compact: a case is an int slot; its fields live in parallel arrays; its text is a sorted
/// array of ints (character bigrams and single CJK characters, <see cref="ChineseText.ScoringFeatures"/>); an inverted
/// index maps each bigram to the slots containing it. A lookup walks the postings of the probe's rarest bigrams only (up
/// to <see cref="RepeatOptions.PostingBudget"/>), so it never scans all cases, then scores the best
/// <see cref="RepeatOptions.TextCandidatePool"/> and the other nominated cases exactly (IDF-weighted cosine).
/// </para>
/// <para>
/// Thread-safe: lookups share a read lock, changes take the write lock. Removed cases leave holes that are compacted once
/// they outnumber a quarter of the live ones. Register as a singleton, fed from the database at start and on every
/// intake; <see cref="EvictOlderThan"/> keeps it to the window. A place is read from a description only with the
/// compounds known when the case is added: feed the register first (<see cref="RegisterCompounds"/>) or in one batch.
/// </para>
/// </summary>
public sealed class RepeatIndex : IDisposable
{
    private const long Dead = long.MinValue;
    private const int MinimumHolesToCompact = 1024;

    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    private readonly Dictionary<Guid, int> _slotByCase = [];
    private readonly Dictionary<int, Posting> _postings = [];
    private readonly Dictionary<long, Bucket> _byPhone = [];
    private readonly Dictionary<int, Bucket> _byPlace = [];
    private readonly Dictionary<int, Bucket> _byCompound = [];

    // Interned values: id 0 stands for "none".
    private readonly Dictionary<Guid, int> _guidIds = [];
    private readonly List<Guid> _guids = [Guid.Empty];
    private readonly Dictionary<string, int> _placeIds = new(StringComparer.Ordinal);
    private readonly List<IndexedPlace?> _places = [null];
    private readonly Dictionary<string, int> _compoundIds = new(StringComparer.Ordinal);
    private readonly KnownPlaces _known = new();

    // One entry per slot.
    private Guid[] _caseIds = new Guid[16];
    private long[] _ticks = new long[16];
    private int[] _category = new int[16];
    private int[] _parentCategory = new int[16];
    private int[] _community = new int[16];
    private long[] _phone = new long[16];
    // Place id of the effective place key; negative when it was read from the text rather than given.
    private int[] _place = new int[16];
    private int[]?[] _features = new int[16][];

    // (generation << 32) | float bits of the squared IDF norm; see DocumentNorm2.
    private long[] _normCache = new long[16];

    // Document frequency of each character as a unigram scoring feature (they have no postings).
    private readonly int[] _unigramDf = new int[char.MaxValue + 1];

    private int _slots;
    private int _live;

    // Bounds of the live cases' receipt times, exact after a compaction, conservative otherwise: when a lookup's window
    // covers them, its postings need no time check.
    private long _minTicks = long.MaxValue;
    private long _maxTicks = long.MinValue;
    private long _postingCount;
    private int _normGeneration = 1;
    private int _liveAtNormGeneration;

    [ThreadStatic]
    private static float[]? _scratchScores;

    [ThreadStatic]
    private static List<int>? _scratchTouched;

    public RepeatIndex(RepeatFeedback? feedback = null)
    {
        Feedback = feedback ?? new RepeatFeedback();
    }

    /// <summary>The dispatchers' decisions every lookup consults.</summary>
    public RepeatFeedback Feedback { get; }

    /// <summary>Cases in the index.</summary>
    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _live;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public void RecordConfirmed(Guid a, Guid b) => Feedback.RecordConfirmed(a, b);

    public void RecordSplit(Guid a, Guid b) => Feedback.RecordSplit(a, b);

    public bool Contains(Guid caseId)
    {
        _lock.EnterReadLock();
        try
        {
            return _slotByCase.ContainsKey(caseId);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>Adds a case, or replaces it when its id is already indexed (its text or place changed).</summary>
    public void Add(RepeatDocument document) => AddRange([document]);

    /// <summary>Adds many cases under one lock; the text features are computed before the lock is taken.</summary>
    public void AddRange(IEnumerable<RepeatDocument> documents)
    {
        var prepared = documents.Select(Prepare).ToList();
        _lock.EnterWriteLock();
        try
        {
            // Every compound of the batch is known before any description is read for a place.
            foreach (var document in prepared)
            {
                _known.Reference(document.Document.PlaceKey);
            }
            foreach (var document in prepared)
            {
                if (_slotByCase.TryGetValue(document.Document.CaseId, out var existing))
                {
                    RemoveSlot(existing);
                }
                AddSlot(document);
            }
            CompactIfWorthIt();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Compound names from the register (翠园小区, 幸福家园…), so that a description naming one gives a place even before
    /// any case there had an address.
    /// </summary>
    public void RegisterCompounds(IEnumerable<string> compoundNames)
    {
        var keys = compoundNames.Select(name => PlaceNormalizer.Normalize(name, null)).OfType<string>().ToList();
        _lock.EnterWriteLock();
        try
        {
            foreach (var key in keys)
            {
                _known.Register(PlaceNormalizer.CompoundOf(key));
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public bool Remove(Guid caseId)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slotByCase.TryGetValue(caseId, out var slot))
            {
                return false;
            }
            RemoveSlot(slot);
            CompactIfWorthIt();
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes every case received before <paramref name="cutoffUtc"/>; returns how many.</summary>
    public int EvictOlderThan(DateTime cutoffUtc)
    {
        var cutoff = cutoffUtc.Ticks;
        _lock.EnterWriteLock();
        try
        {
            var removed = 0;
            for (var slot = 0; slot < _slots; slot++)
            {
                if (_ticks[slot] != Dead && _ticks[slot] < cutoff)
                {
                    RemoveSlot(slot);
                    removed++;
                }
            }
            CompactIfWorthIt();
            return removed;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public RepeatIndexStatistics GetStatistics()
    {
        _lock.EnterReadLock();
        try
        {
            long featureInts = 0;
            for (var slot = 0; slot < _slots; slot++)
            {
                featureInts += _features[slot]?.Length ?? 0;
            }
            long postingCapacity = 0;
            foreach (var posting in _postings.Values)
            {
                postingCapacity += posting.Items.Length;
            }
            long bucketCapacity = 0;
            var buckets = 0;
            foreach (var bucket in _byPhone.Values.Concat(_byPlace.Values).Concat(_byCompound.Values))
            {
                bucketCapacity += bucket.Items.Length;
                buckets++;
            }
            const int PerSlot = 16 + 8 + 4 + 4 + 4 + 8 + 4 + 8 + 8 + 24; // the per-slot arrays, plus the feature array's header
            const int PerCase = 36; // _slotByCase entry
            const int PerTerm = 24 + 40 + 24; // dictionary entry, Posting object, items header
            const int PerBucket = 24 + 32 + 24;
            var bytes = ((long)_caseIds.Length * PerSlot) + (featureInts * 4) + (postingCapacity * 4) + (bucketCapacity * 4)
                + ((long)_postings.Count * PerTerm) + ((long)buckets * PerBucket) + ((long)_slotByCase.Count * PerCase)
                + (_unigramDf.Length * 4L);
            return new RepeatIndexStatistics(_live, _slots, _postings.Count, _postingCount, bytes);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Earlier cases that may be the same problem as <paramref name="probe"/>: repeats first (dispatcher-confirmed ones
    /// on top), then the other candidates worth a look, best score first, at most <see cref="RepeatOptions.MaxCandidates"/>.
    /// Pairs a dispatcher split are never returned.
    /// </summary>
    public IReadOnlyList<RepeatCandidate> FindCandidates(RepeatProbe probe, RepeatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        options ??= RepeatOptions.Default;
        options.Validate();
        var normalized = ChineseText.NormalizeForMatching(probe.Text);
        var features = ChineseText.ScoringFeatures(normalized);
        var from = (probe.NowUtc - options.Window).Ticks;
        var to = probe.NowUtc.Ticks;
        var phone = PhoneKey(probe.PhoneHash);

        _lock.EnterReadLock();
        try
        {
            var weights = ProbeWeights(features);
            var place = ProbePlace(_known.Effective(probe.PlaceKey, normalized, probe.Address));
            var text = new ProbeText(features, weights, place is null ? [] : PlaceFeatures(place));
            var community = probe.CommunityId is { } communityGuid && _guidIds.TryGetValue(communityGuid, out var communityId) ? communityId : -1;
            var slots = new HashSet<int>();
            NominateByText(features, weights, from, to, options, slots);
            if (phone != 0 && _byPhone.TryGetValue(phone, out var byPhone))
            {
                NominateLatest(byPhone, from, to, options.MaxPerPlaceOrPhone, slots);
            }
            if (place is not null && _byPlace.TryGetValue(place.Id, out var byPlace))
            {
                NominateLatest(byPlace, from, to, options.MaxPerPlaceOrPhone, slots);
            }
            // The rest of the compound (the building unnamed on one side): only cases of the probe's subcategory are
            // worth scoring there.
            if (place is not null && probe.CategoryId is { } categoryGuid && _guidIds.TryGetValue(categoryGuid, out var category)
                && _byCompound.TryGetValue(place.Compound, out var byCompound))
            {
                NominateLatest(byCompound, from, to, options.MaxPerPlaceOrPhone, slots, category);
            }
            var confirmed = new HashSet<int>();
            if (probe.CaseId is { } probeId)
            {
                foreach (var partner in Feedback.ConfirmedWith(probeId))
                {
                    if (_slotByCase.TryGetValue(partner, out var partnerSlot))
                    {
                        confirmed.Add(partnerSlot);
                        slots.Add(partnerSlot);
                    }
                }
            }

            var assessments = new List<Assessment>(slots.Count);
            foreach (var slot in slots)
            {
                if (Assess(slot, probe, place, community, text, phone, confirmed.Contains(slot), options) is { } assessment)
                {
                    assessments.Add(assessment);
                }
            }
            Corroborate(assessments, options);
            assessments.Sort(static (a, b) =>
            {
                var byConfirmed = b.Confirmed.CompareTo(a.Confirmed);
                if (byConfirmed != 0)
                {
                    return byConfirmed;
                }
                var byRepeat = b.IsRepeat.CompareTo(a.IsRepeat);
                if (byRepeat != 0)
                {
                    return byRepeat;
                }
                var byScore = b.Score.CompareTo(a.Score);
                return byScore != 0 ? byScore : b.ReceivedTicks.CompareTo(a.ReceivedTicks);
            });
            var shown = Math.Min(assessments.Count, options.MaxCandidates);
            var candidates = new RepeatCandidate[shown];
            for (var i = 0; i < shown; i++)
            {
                candidates[i] = assessments[i].ToCandidate(probe, place?.Key, options);
            }
            return candidates;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>How one candidate compares with the probe, before the reasons are written.</summary>
    private sealed class Assessment
    {
        public required int Slot { get; init; }
        public required Guid CaseId { get; init; }
        public required IndexedPlace? Place { get; init; }
        public required double Similarity { get; init; }
        public required PlaceRelation PlaceRelation { get; init; }
        public required CategoryRelation CategoryRelation { get; init; }
        public required bool SamePhone { get; init; }
        public required bool Confirmed { get; init; }
        public required bool IsRepeat { get; set; }
        public required long ReceivedTicks { get; init; }
        public required double Score { get; init; }
        public bool Corroborated { get; set; }

        public RepeatCandidate ToCandidate(RepeatProbe probe, string? probePlace, RepeatOptions options)
        {
            var reasons = RepeatRules.Reasons(
                Confirmed, IsRepeat, Similarity, CategoryRelation, probe.CategoryId, PlaceRelation, probePlace, Place?.Key, SamePhone, options);
            if (Corroborated)
            {
                reasons.Add("经同一地点另一重复诉求印证");
            }
            return new RepeatCandidate(
                CaseId,
                Score,
                IsRepeat,
                Math.Round(Similarity, 3),
                PlaceRelation == PlaceRelation.Same,
                SamePhone,
                CategoryRelation == CategoryRelation.Same,
                reasons)
            {
                ConfirmedByDispatcher = Confirmed,
            };
        }
    }

    private Assessment? Assess(
        int slot,
        RepeatProbe probe,
        IndexedPlace? probePlace,
        int probeCommunity,
        ProbeText text,
        long phone,
        bool confirmed,
        RepeatOptions options)
    {
        var caseId = _caseIds[slot];
        if (_ticks[slot] == Dead || caseId == probe.CaseId
            || (probe.CaseId is { } probeId && Feedback.Count > 0 && Feedback.IsSplit(probeId, caseId)))
        {
            return null;
        }
        var candidatePlace = PlaceOf(slot);
        var place = RepeatRules.Relate(probePlace, candidatePlace, probe.CommunityId is null ? 0 : probeCommunity, _community[slot]);
        var similarity = Similarity(text, slot, candidatePlace, withoutPlaces: place is PlaceRelation.Same or PlaceRelation.SameCompound);
        var category = RepeatRules.Relate(
            probe.CategoryId, probe.ParentCategoryId, Interned(_category[slot]), Interned(_parentCategory[slot]));
        var samePhone = phone != 0 && _phone[slot] == phone;
        if (!confirmed && !samePhone && place is not (PlaceRelation.Same or PlaceRelation.SameCompound)
            && similarity < options.MinimumShownSimilarity)
        {
            return null;
        }
        return new Assessment
        {
            Slot = slot,
            CaseId = caseId,
            Place = candidatePlace,
            Similarity = similarity,
            PlaceRelation = place,
            CategoryRelation = category,
            SamePhone = samePhone,
            Confirmed = confirmed,
            ReceivedTicks = _ticks[slot],
            Score = RepeatRules.Score(similarity, category, place, samePhone),
            IsRepeat = confirmed || RepeatRules.NeededSimilarity(category, place, samePhone, options) is { } needed && similarity >= needed,
        };
    }

    /// <summary>
    /// A candidate of the probe's subcategory and place whose own description is too unlike the probe's is still a
    /// repeat when it is, by the same rules, a repeat of a case already found to be one at that place: paraphrases of one
    /// problem resemble each other unevenly, and the earlier reports together cover more of the ways to say it. One
    /// step only, from direct matches at the same place, so that a chance match cannot spread.
    /// </summary>
    private void Corroborate(List<Assessment> assessments, RepeatOptions options)
    {
        var anchors = assessments.Where(a => a.IsRepeat && a.PlaceRelation == PlaceRelation.Same).ToList();
        if (anchors.Count == 0)
        {
            return;
        }
        foreach (var candidate in assessments)
        {
            if (candidate.IsRepeat || candidate.CategoryRelation != CategoryRelation.Same
                || candidate.PlaceRelation is not (PlaceRelation.Same or PlaceRelation.SameCompound))
            {
                continue;
            }
            foreach (var anchor in anchors)
            {
                if (_category[anchor.Slot] != _category[candidate.Slot]
                    || RepeatRules.Relate(anchor.Place, candidate.Place, 0, 0) != PlaceRelation.Same)
                {
                    continue;
                }
                var samePhone = _phone[anchor.Slot] != 0 && _phone[anchor.Slot] == _phone[candidate.Slot];
                var needed = RepeatRules.NeededSimilarity(CategoryRelation.Same, PlaceRelation.Same, samePhone, options);
                if (needed is { } threshold && PairSimilarity(anchor.Slot, candidate.Slot) >= threshold)
                {
                    candidate.IsRepeat = true;
                    candidate.Corroborated = true;
                    break;
                }
            }
        }
    }

    private IndexedPlace? PlaceOf(int slot) => _places[Math.Abs(_place[slot])];

    /// <summary>The probe's place as the index knows it, or a stand-in with an id no indexed place has.</summary>
    private IndexedPlace? ProbePlace(string? placeKey)
    {
        if (placeKey is null)
        {
            return null;
        }
        if (_placeIds.TryGetValue(placeKey, out var id))
        {
            return _places[id];
        }
        var compound = _compoundIds.TryGetValue(PlaceNormalizer.CompoundOf(placeKey), out var compoundId) ? compoundId : -1;
        return new IndexedPlace(-1, placeKey, compound);
    }

    private Guid? Interned(int id) => id == 0 ? null : _guids[id];

    /// <summary>The squared IDF of each probe feature: its weight in the dot product of two texts.</summary>
    private float[] ProbeWeights(int[] features)
    {
        var weights = new float[features.Length];
        for (var i = 0; i < features.Length; i++)
        {
            weights[i] = (float)Weight(features[i]);
        }
        return weights;
    }

    private int DocumentFrequency(int feature) => ChineseText.IsUnigram(feature)
        ? _unigramDf[feature]
        : _postings.TryGetValue(feature, out var posting) ? posting.Live : 0;

    private double Weight(int feature)
    {
        var idf = Idf(DocumentFrequency(feature), _live);
        return idf * idf;
    }

    /// <summary>Smoothed IDF (the BM25 form): positive for every df, largest for features the index has not seen.</summary>
    private static double Idf(int df, int documents) => Math.Log(1 + ((documents - df + 0.5) / (df + 0.5)));

    /// <summary>
    /// The features that merely name a place (the compound's name, 小区, "3号楼"), left out of the description similarity:
    /// the place is weighed separately, and two complaints about one building must not look alike just for naming it.
    /// </summary>
    // Readers may race to fill it; they store equal arrays.
    private static int[] PlaceFeatures(IndexedPlace place) => place.Features ??= ComputePlaceFeatures(place.Key);

    private static int[] ComputePlaceFeatures(string placeKey)
    {
        var compound = PlaceNormalizer.CompoundOf(placeKey);
        var building = PlaceNormalizer.BuildingOf(placeKey)?.ToLowerInvariant();
        var set = new HashSet<int>();
        foreach (var part in new[] { compound + "小区", building is null ? null : building + "号楼" })
        {
            if (part is not null)
            {
                set.UnionWith(ChineseText.ScoringFeatures(part));
            }
        }
        var features = set.ToArray();
        Array.Sort(features);
        return features;
    }

    /// <summary>A probe's scoring features, their weights, and which of them name its place.</summary>
    private sealed class ProbeText(int[] features, float[] weights, int[] placeFeatures)
    {
        public int[] Features { get; } = features;
        public float[] Weights { get; } = weights;
        public int[] PlaceFeatures { get; } = placeFeatures;

        /// <summary>Squared norm without the place features.</summary>
        public double Norm2 { get; } = Norm2Without(features, weights, placeFeatures);

        public double FullNorm2 { get; } = Norm2Without(features, weights, []);

        private static double Norm2Without(int[] features, float[] weights, int[] placeFeatures)
        {
            double sum = 0;
            for (var i = 0; i < features.Length; i++)
            {
                if (Array.BinarySearch(placeFeatures, features[i]) < 0)
                {
                    sum += weights[i];
                }
            }
            return sum;
        }
    }

    private void NominateByText(int[] features, float[] weights, long from, long to, RepeatOptions options, HashSet<int> into)
    {
        if (features.Length == 0 || _live == 0)
        {
            return;
        }
        var postings = new Posting?[features.Length];
        var order = new List<int>(features.Length);
        // Characters alone are posted only for one-character texts; other probes look up by bigram.
        var byBigram = Array.Exists(features, f => !ChineseText.IsUnigram(f));
        for (var i = 0; i < features.Length; i++)
        {
            if ((!byBigram || !ChineseText.IsUnigram(features[i])) && _postings.TryGetValue(features[i], out var posting) && posting.Live > 0)
            {
                postings[i] = posting;
                order.Add(i);
            }
        }
        order.Sort((a, b) => postings[a]!.Count.CompareTo(postings[b]!.Count));

        var scores = _scratchScores;
        if (scores is null || scores.Length < _slots)
        {
            scores = _scratchScores = new float[Math.Max(_caseIds.Length, 1024)];
        }
        var touched = _scratchTouched ??= new List<int>(4096);
        touched.Clear();
        try
        {
            long visited = 0;
            var everyCaseInWindow = from <= _minTicks && _maxTicks <= to;
            foreach (var i in order)
            {
                var posting = postings[i]!;
                if (visited > 0 && visited + posting.Count > options.PostingBudget)
                {
                    break;
                }
                visited += posting.Count;
                var weight = weights[i];
                var items = posting.Items.AsSpan(0, posting.Count);
                foreach (var slot in items)
                {
                    if (!everyCaseInWindow)
                    {
                        var ticks = _ticks[slot];
                        if (ticks < from || ticks > to)
                        {
                            continue;
                        }
                    }
                    else if (_ticks[slot] == Dead)
                    {
                        continue;
                    }
                    if (scores[slot] == 0)
                    {
                        touched.Add(slot);
                    }
                    scores[slot] += weight;
                }
            }
            TopByScore(touched, scores, options.TextCandidatePool, into);
        }
        finally
        {
            foreach (var slot in touched)
            {
                scores[slot] = 0;
            }
            touched.Clear();
        }
    }

    /// <summary>The <paramref name="count"/> best-scored slots, by a bounded min-heap (no sort of everything touched).</summary>
    private static void TopByScore(List<int> touched, float[] scores, int count, HashSet<int> into)
    {
        if (touched.Count <= count)
        {
            into.UnionWith(touched);
            return;
        }
        var heap = new int[count];
        var size = 0;
        foreach (var slot in touched)
        {
            var score = scores[slot];
            if (size < count)
            {
                heap[size] = slot;
                SiftUp(heap, size++, scores);
            }
            else if (score > scores[heap[0]])
            {
                heap[0] = slot;
                SiftDown(heap, size, scores);
            }
        }
        for (var i = 0; i < size; i++)
        {
            into.Add(heap[i]);
        }
    }

    private static void SiftUp(int[] heap, int index, float[] scores)
    {
        while (index > 0)
        {
            var parent = (index - 1) / 2;
            if (scores[heap[parent]] <= scores[heap[index]])
            {
                return;
            }
            (heap[parent], heap[index]) = (heap[index], heap[parent]);
            index = parent;
        }
    }

    private static void SiftDown(int[] heap, int size, float[] scores)
    {
        var index = 0;
        while (true)
        {
            var left = (2 * index) + 1;
            if (left >= size)
            {
                return;
            }
            var smallest = left + 1 < size && scores[heap[left + 1]] < scores[heap[left]] ? left + 1 : left;
            if (scores[heap[index]] <= scores[heap[smallest]])
            {
                return;
            }
            (heap[index], heap[smallest]) = (heap[smallest], heap[index]);
            index = smallest;
        }
    }

    /// <summary>
    /// The latest live slots of a bucket within the window (buckets are in insertion order, newest last), of one
    /// category when <paramref name="category"/> is given.
    /// </summary>
    private void NominateLatest(Bucket bucket, long from, long to, int max, HashSet<int> into, int category = 0)
    {
        var taken = 0;
        for (var k = bucket.Count - 1; k >= 0 && taken < max; k--)
        {
            var ticks = _ticks[bucket.Items[k]];
            if (ticks >= from && ticks <= to && (category == 0 || _category[bucket.Items[k]] == category))
            {
                into.Add(bucket.Items[k]);
                taken++;
            }
        }
    }

    /// <summary>
    /// IDF-weighted cosine of the probe's and a case's descriptions (sorted feature arrays merged), leaving out the
    /// features that name either's place.
    /// </summary>
    private double Similarity(ProbeText probe, int slot, IndexedPlace? candidatePlace, bool withoutPlaces)
    {
        var other = _features[slot];
        if (other is null || other.Length == 0 || probe.Norm2 <= 0)
        {
            return 0;
        }
        if (!withoutPlaces)
        {
            return FullSimilarity(probe, other, slot);
        }
        var probePlace = probe.PlaceFeatures;
        var otherPlace = candidatePlace is null ? [] : PlaceFeatures(candidatePlace);
        var features = probe.Features;
        double dot = 0;
        int i = 0, j = 0;
        while (i < features.Length && j < other.Length)
        {
            var a = features[i];
            var b = other[j];
            if (a == b)
            {
                if (Array.BinarySearch(probePlace, a) < 0 && Array.BinarySearch(otherPlace, a) < 0)
                {
                    dot += probe.Weights[i];
                }
                i++;
                j++;
            }
            else if (a < b)
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        if (dot == 0)
        {
            return 0;
        }
        var otherNorm2 = DocumentNorm2(slot) - PlaceWeight(other, otherPlace);
        return otherNorm2 <= 0 ? 0 : Math.Min(1.0, dot / Math.Sqrt(probe.Norm2 * otherNorm2));
    }

    /// <summary>
    /// The cosine over all features, place names included: for two cases whose places disagree or are unknown, the
    /// descriptions must agree on the place too. (Leaving the place out there would make the same complaint about a
    /// neighbouring building look identical, and at a city's scale there are always some.)
    /// </summary>
    private double FullSimilarity(ProbeText probe, int[] other, int slot)
    {
        var features = probe.Features;
        double dot = 0;
        int i = 0, j = 0;
        while (i < features.Length && j < other.Length)
        {
            if (features[i] == other[j])
            {
                dot += probe.Weights[i];
                i++;
                j++;
            }
            else if (features[i] < other[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        return dot == 0 || probe.FullNorm2 <= 0 ? 0 : Math.Min(1.0, dot / Math.Sqrt(probe.FullNorm2 * DocumentNorm2(slot)));
    }

    /// <summary>The same similarity between two indexed cases (for corroboration).</summary>
    private double PairSimilarity(int first, int second)
    {
        var a = _features[first];
        var b = _features[second];
        if (a is null || b is null)
        {
            return 0;
        }
        var placeA = PlaceOf(first) is { } pa ? PlaceFeatures(pa) : [];
        var placeB = PlaceOf(second) is { } pb ? PlaceFeatures(pb) : [];
        double dot = 0;
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                if (Array.BinarySearch(placeA, a[i]) < 0 && Array.BinarySearch(placeB, a[i]) < 0)
                {
                    dot += Weight(a[i]);
                }
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }
        if (dot == 0)
        {
            return 0;
        }
        var normA = DocumentNorm2(first) - PlaceWeight(a, placeA);
        var normB = DocumentNorm2(second) - PlaceWeight(b, placeB);
        return normA <= 0 || normB <= 0 ? 0 : Math.Min(1.0, dot / Math.Sqrt(normA * normB));
    }

    /// <summary>The weight of a case's features that name its place.</summary>
    private double PlaceWeight(int[] features, int[] placeFeatures)
    {
        double sum = 0;
        foreach (var feature in placeFeatures)
        {
            if (Array.BinarySearch(features, feature) >= 0)
            {
                sum += Weight(feature);
            }
        }
        return sum;
    }

    /// <summary>
    /// A case's squared IDF norm, cached until the index has grown or shrunk by a twentieth since it was computed (IDF
    /// moves slowly; recomputing every candidate's norm on every lookup would cost more than the rest of the lookup).
    /// Readers may race to fill the cache; they write the same value as one 64-bit store.
    /// </summary>
    private double DocumentNorm2(int slot)
    {
        var cached = Volatile.Read(ref _normCache[slot]);
        if ((int)(cached >>> 32) == _normGeneration)
        {
            return BitConverter.Int32BitsToSingle((int)cached);
        }
        double norm2 = 0;
        foreach (var feature in _features[slot]!)
        {
            norm2 += Weight(feature);
        }
        var bits = (uint)BitConverter.SingleToInt32Bits((float)norm2);
        Volatile.Write(ref _normCache[slot], ((long)_normGeneration << 32) | bits);
        return norm2;
    }

    private static PreparedDocument Prepare(RepeatDocument document)
    {
        var normalized = ChineseText.NormalizeForMatching(document.Text);
        return new PreparedDocument(document, normalized, ChineseText.ScoringFeatures(normalized));
    }

    private sealed record PreparedDocument(RepeatDocument Document, string Normalized, int[] Features);

    private void AddSlot(PreparedDocument prepared)
    {
        var (document, normalized, features) = prepared;
        if (_slots == _caseIds.Length)
        {
            Grow(_caseIds.Length * 2);
        }
        var slot = _slots++;
        _caseIds[slot] = document.CaseId;
        _ticks[slot] = document.ReceivedAtUtc.Ticks;
        _minTicks = Math.Min(_minTicks, _ticks[slot]);
        _maxTicks = Math.Max(_maxTicks, _ticks[slot]);
        _category[slot] = Intern(document.CategoryId);
        _parentCategory[slot] = Intern(document.ParentCategoryId);
        _community[slot] = Intern(document.CommunityId);
        _phone[slot] = PhoneKey(document.PhoneHash);
        var place = InternPlace(_known.Effective(document.PlaceKey, normalized, document.Address));
        _place[slot] = document.PlaceKey is null ? -place : place;
        _features[slot] = features;
        _normCache[slot] = 0;
        var postAll = !Array.Exists(features, f => !ChineseText.IsUnigram(f));
        foreach (var feature in features)
        {
            if (ChineseText.IsUnigram(feature))
            {
                _unigramDf[feature]++;
                if (!postAll)
                {
                    continue;
                }
            }
            if (!_postings.TryGetValue(feature, out var posting))
            {
                _postings[feature] = posting = new Posting();
            }
            posting.Append(slot);
            posting.Live++;
            _postingCount++;
        }
        if (_phone[slot] != 0)
        {
            BucketFor(_byPhone, _phone[slot]).Append(slot);
        }
        if (_place[slot] != 0)
        {
            var indexed = _places[Math.Abs(_place[slot])]!;
            BucketFor(_byPlace, indexed.Id).Append(slot);
            BucketFor(_byCompound, indexed.Compound).Append(slot);
        }
        _slotByCase[document.CaseId] = slot;
        _live++;
        AdvanceNormGeneration();
    }

    private void RemoveSlot(int slot)
    {
        var features = _features[slot]!;
        var postedAll = !Array.Exists(features, f => !ChineseText.IsUnigram(f));
        foreach (var feature in features)
        {
            if (ChineseText.IsUnigram(feature))
            {
                _unigramDf[feature]--;
                if (!postedAll)
                {
                    continue;
                }
            }
            var posting = _postings[feature];
            if (--posting.Live == 0)
            {
                // Its remaining entries are all dead: dropping the term frees them at once.
                _postingCount -= posting.Count;
                _postings.Remove(feature);
            }
        }
        if (_place[slot] > 0)
        {
            _known.Release(_places[_place[slot]]!.Key);
        }
        _slotByCase.Remove(_caseIds[slot]);
        _ticks[slot] = Dead;
        _features[slot] = null;
        _live--;
        AdvanceNormGeneration();
    }

    private void AdvanceNormGeneration()
    {
        if (Math.Abs(_live - _liveAtNormGeneration) > Math.Max(16, _liveAtNormGeneration / 20))
        {
            _normGeneration++;
            _liveAtNormGeneration = _live;
        }
    }

    /// <summary>Renumbers the live slots densely once holes outnumber a quarter of them; order is kept.</summary>
    private void CompactIfWorthIt()
    {
        var holes = _slots - _live;
        if (holes < MinimumHolesToCompact || holes < _live / 4)
        {
            return;
        }
        var map = new int[_slots];
        var next = 0;
        _minTicks = long.MaxValue;
        _maxTicks = long.MinValue;
        for (var slot = 0; slot < _slots; slot++)
        {
            if (_ticks[slot] == Dead)
            {
                map[slot] = -1;
                continue;
            }
            map[slot] = next;
            _minTicks = Math.Min(_minTicks, _ticks[slot]);
            _maxTicks = Math.Max(_maxTicks, _ticks[slot]);
            _caseIds[next] = _caseIds[slot];
            _ticks[next] = _ticks[slot];
            _category[next] = _category[slot];
            _parentCategory[next] = _parentCategory[slot];
            _community[next] = _community[slot];
            _phone[next] = _phone[slot];
            _place[next] = _place[slot];
            _features[next] = _features[slot];
            _normCache[next] = _normCache[slot];
            next++;
        }
        Array.Clear(_features, next, _slots - next);
        _slots = next;
        _postingCount = 0;
        foreach (var posting in _postings.Values)
        {
            posting.Remap(map);
            _postingCount += posting.Count;
        }
        RemapBuckets(_byPhone, map);
        RemapBuckets(_byPlace, map);
        RemapBuckets(_byCompound, map);
        foreach (var key in _slotByCase.Keys.ToList())
        {
            _slotByCase[key] = map[_slotByCase[key]];
        }
        var capacity = Math.Max(16, (int)Math.Min(int.MaxValue, (long)_slots * 5 / 4));
        if (capacity < _caseIds.Length / 2)
        {
            Grow(capacity);
        }
    }

    private static void RemapBuckets<TKey>(Dictionary<TKey, Bucket> buckets, int[] map)
        where TKey : notnull
    {
        foreach (var (key, bucket) in buckets.ToList())
        {
            bucket.Remap(map);
            if (bucket.Count == 0)
            {
                buckets.Remove(key);
            }
        }
    }

    private void Grow(int capacity)
    {
        Array.Resize(ref _caseIds, capacity);
        Array.Resize(ref _ticks, capacity);
        Array.Resize(ref _category, capacity);
        Array.Resize(ref _parentCategory, capacity);
        Array.Resize(ref _community, capacity);
        Array.Resize(ref _phone, capacity);
        Array.Resize(ref _place, capacity);
        Array.Resize(ref _features, capacity);
        Array.Resize(ref _normCache, capacity);
    }

    private int Intern(Guid? value)
    {
        if (value is not { } guid)
        {
            return 0;
        }
        if (!_guidIds.TryGetValue(guid, out var id))
        {
            id = _guids.Count;
            _guids.Add(guid);
            _guidIds[guid] = id;
        }
        return id;
    }

    private int InternPlace(string? placeKey)
    {
        if (string.IsNullOrEmpty(placeKey))
        {
            return 0;
        }
        if (!_placeIds.TryGetValue(placeKey, out var id))
        {
            var compoundName = PlaceNormalizer.CompoundOf(placeKey);
            if (!_compoundIds.TryGetValue(compoundName, out var compound))
            {
                compound = _compoundIds.Count + 1;
                _compoundIds[compoundName] = compound;
            }
            id = _places.Count;
            _places.Add(new IndexedPlace(id, placeKey, compound));
            _placeIds[placeKey] = id;
        }
        return id;
    }

    private static Bucket BucketFor<TKey>(Dictionary<TKey, Bucket> buckets, TKey key)
        where TKey : notnull
    {
        if (!buckets.TryGetValue(key, out var bucket))
        {
            buckets[key] = bucket = new Bucket();
        }
        return bucket;
    }

    /// <summary>
    /// 64 bits of the phone hash (FNV-1a over its text): the index needs equality only, and a long per case is far
    /// smaller than a string. Zero means "no phone".
    /// </summary>
    private static long PhoneKey(string? phoneHash)
    {
        if (string.IsNullOrEmpty(phoneHash))
        {
            return 0;
        }
        var hash = 14695981039346656037UL;
        foreach (var c in phoneHash)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash == 0 ? 1 : (long)hash;
    }

    public void Dispose() => _lock.Dispose();

    /// <summary>A growable list of slots in insertion order; dead slots stay until the next compaction.</summary>
    private class Bucket
    {
        public int[] Items = new int[4];
        public int Count;

        public void Append(int slot)
        {
            if (Count == Items.Length)
            {
                Array.Resize(ref Items, Items.Length * 2);
            }
            Items[Count++] = slot;
        }

        public void Remap(int[] map)
        {
            var kept = 0;
            for (var k = 0; k < Count; k++)
            {
                var mapped = map[Items[k]];
                if (mapped >= 0)
                {
                    Items[kept++] = mapped;
                }
            }
            Count = kept;
            if (Items.Length > 8 && kept < Items.Length / 4)
            {
                Array.Resize(ref Items, Math.Max(4, kept * 2));
            }
        }
    }

    /// <summary>The slots containing one bigram; <see cref="Live"/> (its document frequency) excludes dead slots.</summary>
    private sealed class Posting : Bucket
    {
        public int Live;
    }
}
