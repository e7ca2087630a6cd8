"""Writes a deterministic accounts CSV: UID, email, first/last name, birth year, a boolean,
a number, a short tag list — about 100 bytes a row."""
import random
import sys

FIRST = ["Ada", "Alan", "Grace", "Linus", "Barbara", "Edsger", "Margaret", "Dennis", "Frances", "Ken",
         "Radia", "Tim", "Katherine", "John", "Hedy", "Donald"]
LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Dijkstra", "Hamilton", "Ritchie",
        "Allen", "Thompson", "Perlman", "Berners-Lee", "Johnson", "McCarthy", "Lamarr", "Knuth"]
TAGS = ["vip", "early", "season", "gold", "family", "student", "press", "kids"]


def main(path, rows):
    rng = random.Random(20261129)
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("UID,email,firstName,lastName,birthYear,newsletter,points,tags\n")
        for n in range(rows):
            first = FIRST[rng.randrange(len(FIRST))]
            last = LAST[rng.randrange(len(LAST))]
            tags = ";".join(rng.sample(TAGS, rng.randrange(0, 4)))
            out.write(f"fan-{n:08d},{first.lower()}.{last.lower()}.{n}@example.com,{first},{last},"
                      f"{rng.randrange(1940, 2010)},{'true' if rng.random() < 0.4 else 'false'},"
                      f"{rng.randrange(0, 100000)},{tags}\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
