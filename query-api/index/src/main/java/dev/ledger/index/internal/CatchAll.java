package dev.ledger.index.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.AutomatonQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.MultiTermQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.Automata;
import org.apache.lucene.util.automaton.Automaton;
import org.apache.lucene.util.automaton.LevenshteinAutomata;
import org.apache.lucene.util.automaton.Operations;

/**
 * The catch-all field {@link Fields#ALL} of an audit document, each term prefixed by the document's
 * tenant ({@code tenant + SEP + term}), so that a pattern of one tenant's {@code q} scans only that
 * tenant's terms without a second copy of them. Since contract v1.20; before, the terms were
 * unprefixed and copied again into {@link TenantTerms}, which cost the index a tenth to a third of
 * its CPU per document (BENCHMARKS.md).
 *
 * <p>The index writes {@link #field}. A query on the field puts the same prefix in front of its
 * terms: {@link #prefixed(TokenStream, List)} for analysed words and phrases (with several tenants,
 * one term per tenant at each position: a document holds only its own tenant's terms, so a phrase
 * cannot match across tenants) and {@link #pattern} for wildcards, regular expressions and fuzzy
 * terms. The terms of a field are sorted, so the prefix lets Lucene seek straight to the tenant's
 * own terms.
 */
public final class CatchAll {

  /** Ends the tenant: no tenant contains it, and the analyser never produces it. */
  static final String SEP = "\u0000";

  private CatchAll() {}

  /** What every term of {@code tenant} starts with. */
  static String prefix(String tenant) {
    return tenant + SEP;
  }

  /**
   * The catch-all's field type without norms: indexed with positions, like {@link TextField}, but
   * nothing ranks by relevance, so no norm is written, merged or read per posting.
   */
  private static final FieldType WITHOUT_NORMS = withoutNorms();

  private static FieldType withoutNorms() {
    FieldType type = new FieldType(TextField.TYPE_NOT_STORED);
    type.setOmitNorms(true);
    type.freeze();
    return type;
  }

  /**
   * The catch-all field of a document of {@code tenant}: {@code text} analysed, then prefixed; with
   * norms only for an index that has them already ({@link TermsLayout#norms}).
   */
  static Field field(String tenant, String text, boolean norms) {
    // Analysed here, not by the writer: the writer's analyser cannot know the document's tenant.
    // The terms are collected at once because the analyser reuses its stream per thread.
    List<String> terms = new ArrayList<>();
    List<Integer> increments = new ArrayList<>();
    try (TokenStream in =
        prefixed(AuditQueryParser.ANALYZER.tokenStream(Fields.ALL, text), List.of(tenant))) {
      CharTermAttribute term = in.addAttribute(CharTermAttribute.class);
      PositionIncrementAttribute increment = in.addAttribute(PositionIncrementAttribute.class);
      in.reset();
      while (in.incrementToken()) {
        terms.add(term.toString());
        increments.add(increment.getPositionIncrement());
      }
      in.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
    Replay stream = new Replay(terms, increments);
    return norms ? new TextField(Fields.ALL, stream) : new Field(Fields.ALL, stream, WITHOUT_NORMS);
  }

  /** {@code in} with each term once per tenant, prefixed by it, all at the term's position. */
  static TokenStream prefixed(TokenStream in, List<String> tenants) {
    return new Prefixes(in, tenants.stream().map(CatchAll::prefix).toList());
  }

  /**
   * {@code pattern} (a wildcard, prefix, regular expression, range or fuzzy query over unprefixed
   * terms) over the catch-all terms of {@code tenants} only.
   *
   * @param workLimit the determinization work the pattern itself may cost
   */
  static Query pattern(Query pattern, List<String> tenants, int workLimit) {
    return behind(pattern, Fields.ALL, tenants.stream().map(CatchAll::prefix).toList(), workLimit);
  }

  /**
   * {@code pattern} over the terms of {@code field} that are one of {@code prefixes} followed by a
   * term the pattern matches; null if it is no pattern. Shared with {@link TenantTerms}, whose
   * copies are prefixed by tenant and field.
   *
   * @param workLimit the determinization work the pattern itself may cost; the prefixes' part,
   *     about one state per character, is allowed for on top
   */
  static Query behind(Query pattern, String field, List<String> prefixes, int workLimit) {
    return switch (pattern) {
      case AutomatonQuery a ->
          new AutomatonQuery(
              new Term(field, prefixes.get(0) + a),
              prefixed(a.getAutomaton(), prefixes, a.isAutomatonBinary(), workLimit),
              a.isAutomatonBinary());
      case FuzzyQuery f when prefixes.size() == 1 ->
          // The prefix must match exactly, as the term's own literal prefix does.
          new FuzzyQuery(
              new Term(field, prefixes.get(0) + f.getTerm().text()),
              f.getMaxEdits(),
              codePoints(prefixes.get(0)) + f.getPrefixLength(),
              AuditQueryParser.MAX_FUZZY_EXPANSIONS,
              false);
      case FuzzyQuery f -> {
        String text = f.getTerm().text();
        int literal = text.offsetByCodePoints(0, Math.min(f.getPrefixLength(), codePoints(text)));
        Automaton fuzzy =
            new LevenshteinAutomata(text.substring(literal), false)
                .toAutomaton(f.getMaxEdits(), text.substring(0, literal));
        yield new AutomatonQuery(
            new Term(field, text + "~" + f.getMaxEdits()),
            prefixed(fuzzy, prefixes, false, workLimit),
            false,
            new MultiTermQuery.TopTermsBlendedFreqScoringRewrite(
                AuditQueryParser.MAX_FUZZY_EXPANSIONS));
      }
      default -> null;
    };
  }

  private static int codePoints(String s) {
    return s.codePointCount(0, s.length());
  }

  private static Automaton prefixed(
      Automaton pattern, List<String> prefixes, boolean binary, int workLimit) {
    List<BytesRef> names = new ArrayList<>();
    int chars = 0;
    for (String prefix : Set.copyOf(prefixes)) {
      names.add(new BytesRef(prefix));
      chars += prefix.length();
    }
    // The minimal automaton of the set, built at once from its names in byte order, over bytes or
    // code points as the pattern is (a prefix or range query's is over UTF-8 bytes, the others'
    // over code points). No name is a prefix of another (each ends with SEP), so the concatenation
    // is nearly deterministic already: determinizing costs about a state per character.
    Collections.sort(names);
    Automaton union =
        binary ? Automata.makeBinaryStringUnion(names) : Automata.makeStringUnion(names);
    return Operations.determinize(
        Operations.concatenate(List.of(union, pattern)), workLimit + 4 * chars);
  }

  /** Emits each input term once per prefix, the later ones at the same position. */
  private static final class Prefixes extends TokenFilter {
    private final List<String> prefixes;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute increment =
        addAttribute(PositionIncrementAttribute.class);
    private String current;
    private State state;
    private int next;

    Prefixes(TokenStream in, List<String> prefixes) {
      super(in);
      this.prefixes = prefixes;
    }

    @Override
    public boolean incrementToken() throws IOException {
      if (current != null && next < prefixes.size()) {
        restoreState(state);
        term.setEmpty().append(prefixes.get(next++)).append(current);
        increment.setPositionIncrement(0);
        return true;
      }
      if (!input.incrementToken()) {
        current = null;
        return false;
      }
      current = term.toString();
      state = prefixes.size() > 1 ? captureState() : null;
      next = 1;
      term.setEmpty().append(prefixes.get(0)).append(current);
      return true;
    }

    @Override
    public void reset() throws IOException {
      super.reset();
      current = null;
    }
  }

  /** Terms analysed before, handed to the writer in order. */
  private static final class Replay extends TokenStream {
    private final List<String> terms;
    private final List<Integer> increments;
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final PositionIncrementAttribute increment =
        addAttribute(PositionIncrementAttribute.class);
    private int next;

    Replay(List<String> terms, List<Integer> increments) {
      this.terms = terms;
      this.increments = increments;
    }

    @Override
    public boolean incrementToken() {
      if (next == terms.size()) {
        return false;
      }
      clearAttributes();
      term.append(terms.get(next));
      increment.setPositionIncrement(increments.get(next));
      next++;
      return true;
    }

    @Override
    public void reset() {
      next = 0;
    }
  }
}
