"""A generated news corpus for the benchmarks: relevant, near-miss and ordinary articles.

Every sentence is written here from templates (no outside text). Proportions
follow a general news feed: about 5% of articles report a state plot abroad or
a diplomatic or legal response (``relevant``), 10% are domestic crime and court
news that share the vocabulary (``near_miss``), and the rest is sport,
business, weather, technology, culture and politics, with the everyday uses of
trigger words ("cut rates", "released a statement", "attack" in football).
Three in ten near-miss stories name a suspect's nationality.

    python -m benchmarks.corpus 10000 corpus.jsonl [--relevant 0.05] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path

STATES = [("Iran", "Iranian", "Tehran"), ("Russia", "Russian", "Moscow"), ("China", "Chinese", "Beijing"),
          ("Rwanda", "Rwandan", "Kigali"), ("Saudi Arabia", "Saudi", "Riyadh"), ("Belarus", "Belarusian", "Minsk"),
          ("Turkey", "Turkish", "Ankara"), ("North Korea", "North Korean", "Pyongyang")]  # fmt: skip
HOSTS = [("Britain", "British", "London"), ("the Netherlands", "Dutch", "The Hague"), ("Germany", "German", "Berlin"),
         ("Denmark", "Danish", "Copenhagen"), ("France", "French", "Paris"), ("Canada", "Canadian", "Ottawa"),
         ("Sweden", "Swedish", "Stockholm"), ("Belgium", "Belgian", "Brussels")]  # fmt: skip
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
NUMBERS = ["two", "three", "four", "five", "several"]
TOWNS = ["Leeds", "Bristol", "Utrecht", "Aarhus", "Lyon", "Hamilton", "Malmo", "Ghent", "Dortmund", "Tilburg"]
TEAMS = ["United", "City", "Rovers", "Athletic", "Wanderers", "Albion", "Rangers", "Town"]
FIRMS = ["Norvik", "Altamar", "Brightwell", "Kestrel Systems", "Oakmont", "Veridian", "Lumen Foods", "Castor Energy"]

RELEVANT = [
    "{host} expelled {n} {adj} diplomats on {day}, accusing them of plotting attacks on exiled dissidents.",
    "Prosecutors in {hcity} said a man working for {adj} intelligence had been arrested on suspicion of spying "
    "on members of the {adj} diaspora.",
    "The foreign ministry summoned the {adj} ambassador in {hcity} to protest against what it called a plot to "
    "kidnap a journalist living in {host}.",
    "{host} recalled its ambassador from {city} for consultations after the foiled assassination plot.",
    "A court in {hcity} convicted a {adj} agent of attempted murder and sentenced him to {years} years in prison.",
    "Police said the suspects had photographed the home of an opposition activist and followed him for weeks.",
    "{host} and its allies imposed sanctions on {adj} intelligence officers and froze their assets.",
    "The government announced it would cut diplomatic ties with {state} and close its embassy in {city}.",
    "Investigators believe the bomb plot against a rally of exiles in {hcity} was ordered from {city}.",
    "Two {adj} nationals were charged with preparing the abduction of a critic of the government in {state}.",
]
DETAIL = [
    "The {adj} embassy denied any involvement and called the accusations baseless.",
    "Officials did not say how the plot was uncovered, citing an ongoing investigation.",
    "Rights groups have long warned about the reach of {adj} security services abroad.",
    "The case has strained relations between {host} and {state} for months.",
    "Lawyers for the accused said they would appeal.",
]
NEAR_MISS = [
    "Police in {town} arrested a {age}-year-old man after a stabbing outside a nightclub on {day}.",
    "A jury at {town} Crown Court found two brothers guilty of burglary and fraud.",
    "The driver was charged with dangerous driving after the crash that killed a cyclist.",
    "Detectives released CCTV images of a suspect in the robbery of a jewellery shop.",
    "The former mayor of {town} was sentenced to three years for taking bribes.",
    "Officers were called to a house in {town} where a woman had been assaulted, police said.",
]
ORDINARY = {
    "sport": [
        "{team1} beat {team2} {s1}-{s2} on {day}, with a late goal from their new striker.",
        "The coach praised the attack but said the defence still needed work before the cup match.",
        "Fans will be able to buy tickets for the final from next week, the club said.",
        "The midfielder was released by his previous club in the summer and signed a two-year contract.",
        "After a difficult start, the team moved up to fifth place in the table.",
    ],
    "business": [
        "Shares in {firm} rose {pct} per cent after the company reported higher quarterly profits.",
        "The central bank cut interest rates by a quarter point, citing slowing growth.",
        "{firm} released a statement saying it would close two factories and cut 300 jobs next year.",
        "Analysts expect inflation to ease in the second half as energy prices fall.",
        "The merger still needs the approval of competition regulators in several countries.",
    ],
    "weather": [
        "Forecasters expect heavy rain across the north on {day}, with temperatures around {temp} degrees.",
        "Several roads near {town} were closed after flooding, and trains were delayed.",
        "The heatwave is expected to break by the weekend as a cold front moves in from the west.",
    ],
    "technology": [
        "{firm} will release a new version of its phone in {month}, with a larger battery and faster charging.",
        "The update fixes a security flaw that could let attackers read messages, the company said.",
        "Researchers showed a battery that can charge in ten minutes and hold its charge for years.",
        "The start-up raised 40 million euros to build data centres powered by wind energy.",
    ],
    "culture": [
        "The festival in {town} opens on {day} with a new staging of a classic opera.",
        "Her second novel, set in a fishing village, has been shortlisted for a national prize.",
        "The museum will reopen in {month} after a two-year renovation of its main hall.",
        "The film's release was moved to the autumn after the director recut the ending.",
    ],
    "politics": [
        "The government published its budget on {day}, promising more money for schools and hospitals.",
        "Opposition parties said the plan would not cut waiting lists fast enough.",
        "The minister said talks with unions over pay would resume next week.",
        "Voters in {town} go to the polls in {month} to elect a new council.",
        "The prime minister met business leaders to discuss the cost of energy.",
    ],
}


FILLER = [
    "\"We will look at every option,\" a spokesperson told reporters on {day}.",
    "The figures were published in a report that runs to more than 200 pages.",
    "Local residents said they had expected the decision for some time.",
    "More details are expected to be announced at a news conference later this month.",
    "The story has been updated with comments from the authorities in {town}.",
    "Similar cases in other European countries have drawn wide attention in recent years.",
    "It was not immediately clear how the decision would affect people living in {town}.",
    "The statement gave no further details, and officials declined to comment.",
]


def _fill(template: str, rng: random.Random, state: tuple[str, str, str], host: tuple[str, str, str]) -> str:
    teams = rng.sample(TEAMS, 2)
    return template.format(
        state=state[0], adj=state[1], city=state[2], host=host[0], hadj=host[1], hcity=host[2],
        n=rng.choice(NUMBERS), day=rng.choice(DAYS), month=rng.choice(MONTHS), years=rng.randint(4, 20),
        town=rng.choice(TOWNS), age=rng.randint(18, 60), team1=f"{rng.choice(TOWNS)} {teams[0]}",
        team2=f"{rng.choice(TOWNS)} {teams[1]}", s1=rng.randint(1, 4), s2=rng.randint(0, 1),
        firm=rng.choice(FIRMS), pct=rng.randint(2, 12), temp=rng.randint(5, 32),
    )  # fmt: skip


def _paragraphs(kind: str, rng: random.Random) -> tuple[str, list[str]]:
    state, host = rng.choice(STATES), rng.choice(HOSTS)
    topic = rng.choice(sorted(ORDINARY))
    filler = rng.choices(FILLER, k=rng.randint(5, 8))
    if kind == "relevant":
        sentences = rng.sample(RELEVANT, 5) + rng.sample(DETAIL, 4) + rng.sample(ORDINARY["politics"], 3) + filler
        title = f"{host[0]} acts over {state[1]} plot"
    elif kind == "near_miss":
        sentences = rng.sample(NEAR_MISS, 5) + rng.sample(ORDINARY["weather"], 3) + rng.sample(ORDINARY["politics"], 2)
        nationality = ["The suspect, a {hadj} national, was remanded in custody."] if rng.random() < 0.3 else []
        sentences += filler + nationality
        title = f"Arrest in {rng.choice(TOWNS)}"
    else:
        sentences = rng.choices(ORDINARY[topic], k=9) + rng.sample(ORDINARY["politics"], 3) + filler
        title = f"{topic.title()} news"
    lead, rest = sentences[:1], sentences[1:]
    rng.shuffle(rest)
    return title, [_fill(sentence, rng, state, host) for sentence in lead + rest]


def articles(count: int, relevant: float = 0.05, near_miss: float = 0.10, seed: int = 7) -> Iterator[dict[str, str]]:
    """``count`` articles in the input contract; kinds in the given proportions, shuffled, reproducible."""
    rng = random.Random(seed)
    for number in range(count):
        roll = rng.random()
        kind = "relevant" if roll < relevant else "near_miss" if roll < relevant + near_miss else "ordinary"
        title, paragraphs = _paragraphs(kind, rng)
        # Two sentences a paragraph, as wire copy has them; the title is the first paragraph.
        body = "\n\n".join(" ".join(paragraphs[i : i + 2]) for i in range(0, len(paragraphs), 2))
        yield {"id": f"b{number:07d}", "title": title, "published": f"2019-{rng.randint(1, 12):02d}-15",
               "text": f"{title}\n\n{body}", "kind": kind}  # fmt: skip


def write(path: Path, count: int, relevant: float = 0.05, seed: int = 7) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for article in articles(count, relevant=relevant, seed=seed):
            handle.write(json.dumps(article) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--relevant", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write(args.output, args.count, args.relevant, args.seed)


if __name__ == "__main__":
    main()
