package dev.ledger.ingest.adapter.internal;

import io.vavr.Tuple2;
import io.vavr.control.Either;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.biscuitsec.biscuit.token.builder.Fact;
import org.biscuitsec.biscuit.token.builder.Predicate;
import org.biscuitsec.biscuit.token.builder.Term;
import org.biscuitsec.biscuit.token.builder.parser.Error;
import org.biscuitsec.biscuit.token.builder.parser.Parser;

/**
 * What the ledger can read from one Biscuit block's datalog, by convention (the names are the ones
 * Biscuit's own examples use):
 *
 * <ul>
 *   <li>facts {@code user("u")} or {@code subject("u")}: the subject; {@code actor("a")}: who holds
 *       the token from this block on; {@code issuer("i")}: the issuer; {@code right("s")}: a scope
 *       ({@code right("res", "op")} gives {@code res:op}); {@code audience("x")}: an audience.
 *       Facts grant nothing outside the authority block, so only {@code actor} is read from the
 *       others.
 *   <li>checks whose alternatives are all {@code operation("s")} (or all {@code right("s")}): the
 *       scopes are at most those; all {@code resource("x")}: the audience is at most those. Several
 *       such checks intersect.
 *   <li>{@code check if time($t), $t <= DATE} (or {@code <}): expires at the earliest such date.
 * </ul>
 *
 * @param subject null when not stated
 * @param actor null when not stated
 * @param issuer null when not stated
 * @param scopes null when nothing restricts them (an attenuation then inherits)
 * @param audience null when nothing restricts it
 * @param expiresAt null when no time check
 * @param statements the block's datalog, one statement per item, as Biscuit prints it
 */
public record BiscuitBlock(
    String subject,
    String actor,
    String issuer,
    List<String> scopes,
    List<String> audience,
    Instant expiresAt,
    List<String> statements) {

  private static final Pattern TIME_CHECK =
      Pattern.compile("check if time\\(\\$(\\w+)\\), \\$\\1 <=? (\\S+)");

  /**
   * Reads a block from its printed datalog ({@code Block.printCode}).
   *
   * @param code never null
   * @param authority whether this is the authority block (whose facts grant rights)
   */
  public static BiscuitBlock read(String code, boolean authority) {
    List<String> statements = new ArrayList<>();
    for (String line : code.split(";\\s*\\n")) {
      if (!line.isBlank()) {
        statements.add(line.strip());
      }
    }
    String subject = null;
    String actor = null;
    String issuer = null;
    Set<String> scopes = null;
    Set<String> audience = null;
    Instant expiresAt = null;
    for (String statement : statements) {
      if (statement.startsWith("check if ")) {
        Matcher time = TIME_CHECK.matcher(statement);
        if (time.matches()) {
          Instant at = instant(time.group(2));
          expiresAt = at == null || (expiresAt != null && expiresAt.isBefore(at)) ? expiresAt : at;
          continue;
        }
        List<Predicate> alternatives = alternatives(statement.substring("check if ".length()));
        String kind = singleStringKind(alternatives);
        if ("operation".equals(kind) || "right".equals(kind)) {
          scopes = intersect(scopes, strings(alternatives));
        } else if ("resource".equals(kind)) {
          audience = intersect(audience, strings(alternatives));
        }
        continue;
      }
      Fact fact = fact(statement);
      if (fact == null) {
        continue;
      }
      List<String> terms = stringTerms(fact.terms());
      if (terms == null || terms.isEmpty() || String.join("", terms).isBlank()) {
        continue; // an empty name is no name: the field stays unstated (and takes its default)
      }
      String value = String.join(":", terms);
      switch (fact.name()) {
        case "actor" -> actor = value;
        case "user", "subject" -> subject = authority ? value : subject;
        case "issuer" -> issuer = authority ? value : issuer;
        case "right" -> scopes = authority ? add(scopes, value) : scopes;
        case "audience" -> audience = authority ? add(audience, value) : audience;
        default -> {}
      }
    }
    return new BiscuitBlock(
        subject,
        actor,
        issuer,
        scopes == null ? null : List.copyOf(scopes),
        audience == null ? null : List.copyOf(audience),
        expiresAt,
        List.copyOf(statements));
  }

  /**
   * {@code p1 or p2 or ...} where each is a bare predicate; empty when the body is anything else.
   */
  private static List<Predicate> alternatives(String body) {
    List<Predicate> predicates = new ArrayList<>();
    String rest = body;
    while (true) {
      Either<Error, Tuple2<String, Predicate>> parsed = Parser.predicate(rest);
      if (parsed.isLeft()) {
        return List.of();
      }
      predicates.add(parsed.get()._2);
      rest = parsed.get()._1.strip();
      if (rest.isEmpty()) {
        return predicates;
      }
      if (!rest.startsWith("or ")) {
        return List.of();
      }
      rest = rest.substring(3);
    }
  }

  /** The common name when every predicate has that name and one string term; else null. */
  private static String singleStringKind(List<Predicate> predicates) {
    if (predicates.isEmpty()) {
      return null;
    }
    String name = predicates.get(0).getName();
    for (Predicate p : predicates) {
      if (!p.getName().equals(name)
          || p.getTerms().size() != 1
          || !(p.getTerms().get(0) instanceof Term.Str)) {
        return null;
      }
    }
    return name;
  }

  private static Set<String> strings(List<Predicate> predicates) {
    Set<String> values = new LinkedHashSet<>();
    predicates.forEach(p -> values.add(((Term.Str) p.getTerms().get(0)).getValue()));
    return values;
  }

  private static Set<String> intersect(Set<String> current, Set<String> allowed) {
    if (current == null) {
      return allowed;
    }
    current.retainAll(allowed);
    return current;
  }

  private static Set<String> add(Set<String> set, String value) {
    Set<String> result = set == null ? new LinkedHashSet<>() : set;
    result.add(value);
    return result;
  }

  private static Fact fact(String statement) {
    if (statement.contains("<-")) {
      return null;
    }
    Either<Error, Tuple2<String, Fact>> parsed = Parser.fact(statement);
    return parsed.isRight() && parsed.get()._1.isBlank() ? parsed.get()._2 : null;
  }

  private static List<String> stringTerms(List<Term> terms) {
    List<String> values = new ArrayList<>();
    for (Term term : terms) {
      if (!(term instanceof Term.Str s)) {
        return null;
      }
      values.add(s.getValue());
    }
    return values;
  }

  private static Instant instant(String text) {
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
