"""Held-out plan content for the import accuracy corpus: the truth each generated file keeps.

Two plans written for this corpus, not taken from plans/ or shaped to the importer: a
SEND local-area inspection's written statement of action and a youth justice inspection's
improvement plan (the kinds of plan councils publish; the councils, people and agencies
are made up). Each action keeps what a file must give back: its recommendation's number,
theme, leads (a name, a post or initials, with an agency where the plan names one), status
(a RAG colour, Blue for complete, None for not rated) and due date at the precision it is
written ("2024-03", "2024-03-31", "2024/25 Q2", "ongoing", or None for "To be confirmed").
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Person:
    """Someone a plan names as a lead."""

    name: str
    role: str
    initials: str
    agency: str


@dataclass(frozen=True)
class Action:
    """One action and what an import must read from its row."""

    text: str
    leads: tuple[Person, ...]
    due: str | None
    status: str | None  # Red, Amber, Green, Blue (complete), or None (not rated)


@dataclass(frozen=True)
class Recommendation:
    """A numbered recommendation and its actions."""

    number: str
    text: str
    actions: tuple[Action, ...]


@dataclass(frozen=True)
class Theme:
    """A theme and its recommendations."""

    title: str
    recommendations: tuple[Recommendation, ...]


@dataclass(frozen=True)
class Content:
    """A plan's title and themes, in order."""

    title: str
    themes: tuple[Theme, ...]
    people: tuple[Person, ...] = field(default=())

    def actions(self) -> list[tuple[Theme, Recommendation, Action]]:
        """Every action with its theme and recommendation, in order."""
        return [
            (theme, rec, action)
            for theme in self.themes
            for rec in theme.recommendations
            for action in rec.actions
        ]


_HOLLIS = Person("Joanne Hollis", "Head of SEND", "JH", "WBC")
_OKAFOR = Person("Daniel Okafor", "Designated Clinical Officer", "DO", "ICB")
_PRICE = Person("Megan Price", "Principal Educational Psychologist", "MP", "WBC")
_KAUR = Person("Harpreet Kaur", "Parent Carer Forum Chair", "HK", "WPCF")
_WALSH = Person("Stephen Walsh", "Head of Commissioning", "SW", "WBC")

SEND = Content(
    "Wexcombe Local Area SEND Written Statement of Action",
    (
        Theme(
            "Identifying need early",
            (
                Recommendation(
                    "1",
                    "Leaders should ensure that children's needs are identified early and "
                    "accurately in the early years.",
                    (
                        Action(
                            "Introduce the two-year integrated review in every children's "
                            "centre, with a shared referral form.",
                            (_OKAFOR,),
                            "2024-03",
                            "Green",
                        ),
                        Action(
                            "Train early years practitioners in the graduated approach, "
                            "targeting settings with the most referrals.",
                            (_PRICE, _HOLLIS),
                            "2024-06-30",
                            "Amber",
                        ),
                    ),
                ),
                Recommendation(
                    "2",
                    "Reduce the waiting time for neurodevelopmental assessment.",
                    (
                        Action(
                            "Commission additional assessment capacity from the community "
                            "paediatric service.",
                            (_WALSH, _OKAFOR),
                            "2024/25 Q2",
                            "Red",
                        ),
                        Action(
                            "Publish monthly waiting times on the Local Offer.",
                            (_OKAFOR,),
                            "ongoing",
                            "Green",
                        ),
                    ),
                ),
            ),
        ),
        Theme(
            "Education, health and care plans",
            (
                Recommendation(
                    "3",
                    "Improve the timeliness and quality of EHC plans.",
                    (
                        Action(
                            "Recruit four additional EHC coordinators and clear the backlog "
                            "of overdue assessments.",
                            (_HOLLIS,),
                            "2023-12",
                            "Blue",
                        ),
                        Action(
                            "Quality assure a sample of new plans each month through a "
                            "multi-agency audit panel.",
                            (_PRICE,),
                            "2024-01-31",
                            "Green",
                        ),
                        Action(
                            "Agree health advice templates with every provider.",
                            (_OKAFOR,),
                            None,
                            "Amber",
                        ),
                    ),
                ),
            ),
        ),
        Theme(
            "Co-production with families",
            (
                Recommendation(
                    "4",
                    "Work with parents and carers as equal partners in the area's strategy.",
                    (
                        Action(
                            "Co-produce a new SEND strategy with the Parent Carer Forum.",
                            (_KAUR, _HOLLIS),
                            "2024-09",
                            None,
                        ),
                        Action(
                            "Relaunch the Local Offer website after testing it with families.",
                            (_WALSH,),
                            "2024-04-30",
                            "Red",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

_BANKS = Person("Rachel Banks", "Head of Youth Justice Service", "RB", "NCC")
_ODUYA = Person("Tunde Oduya", "Operational Manager", "TO", "NCC")
_FERRIS = Person("Claire Ferris", "Detective Inspector", "CF", "Police")
_LLOYD = Person("Gareth Lloyd", "Head of Service, Probation", "GL", "Probation")

YOUTH = Content(
    "Northmoor Youth Justice Improvement Plan",
    (
        Theme(
            "Governance and leadership",
            (
                Recommendation(
                    "1",
                    "The management board should understand the service's performance and "
                    "hold partners to account.",
                    (
                        Action(
                            "Refresh the board's terms of reference and induct new members.",
                            (_BANKS,),
                            "2023-11",
                            "Blue",
                        ),
                        Action(
                            "Add a quarterly performance report on disproportionality.",
                            (_ODUYA,),
                            "2024/25 Q1",
                            "Amber",
                        ),
                    ),
                ),
            ),
        ),
        Theme(
            "Work with children",
            (
                Recommendation(
                    "2",
                    "Assessments should consider the safety and wellbeing of the child.",
                    (
                        Action(
                            "Deliver safety planning workshops to all case managers.",
                            (_ODUYA,),
                            "2024-02-29",
                            "Green",
                        ),
                        Action(
                            "Audit twenty cases a quarter against the new standard.",
                            (_BANKS, _ODUYA),
                            "ongoing",
                            "Green",
                        ),
                    ),
                ),
                Recommendation(
                    "3",
                    "Improve joint work with the police on out-of-court disposals.",
                    (
                        Action(
                            "Agree a joint decision-making protocol with the police.",
                            (_FERRIS, _BANKS),
                            "2024-05",
                            "Red",
                        ),
                        Action(
                            "Review transitions to adult probation for children turning 18.",
                            (_LLOYD,),
                            None,
                            None,
                        ),
                    ),
                ),
            ),
        ),
    ),
)

_AHMED = Person("Farah Ahmed", "Director of Adult Social Care", "FA", "ECC")
_DOYLE = Person("Patrick Doyle", "Principal Social Worker", "PD", "ECC")
_MENSAH = Person("Abena Mensah", "Head of Quality and Safeguarding", "AM", "ECC")
_GRANT = Person("Louise Grant", "Carers Lead", "LG", "Carers Hub")

ADULTS = Content(
    "Eastfield Adult Social Care Assessment: Improvement Plan",
    (
        Theme(
            "Working with people",
            (
                Recommendation(
                    "1",
                    "Reduce waiting times for Care Act assessments and reviews.",
                    (
                        Action(
                            "Set up a dedicated review team to clear reviews overdue by more "
                            "than a year.",
                            (_DOYLE,),
                            "2024-07",
                            "Amber",
                        ),
                        Action(
                            "Contact everyone waiting for an assessment every eight weeks.",
                            (_DOYLE, _MENSAH),
                            "2024-02-29",
                            "Green",
                        ),
                    ),
                ),
                Recommendation(
                    "2",
                    "Improve support for unpaid carers.",
                    (
                        Action(
                            "Offer every carer a carer's assessment when the person they "
                            "care for is assessed.",
                            (_GRANT,),
                            "ongoing",
                            "Green",
                        ),
                        Action(
                            "Recommission the carers' support service with carers on the panel.",
                            (_AHMED, _GRANT),
                            "2024/25 Q3",
                            "Red",
                        ),
                    ),
                ),
            ),
        ),
        Theme(
            "Ensuring safety",
            (
                Recommendation(
                    "3",
                    "Strengthen safeguarding practice and its oversight.",
                    (
                        Action(
                            "Audit safeguarding enquiries monthly and report themes to the "
                            "adults board.",
                            (_MENSAH,),
                            "2023-12-31",
                            "Blue",
                        ),
                        Action(
                            "Train practitioners in making safeguarding personal.",
                            (_DOYLE,),
                            "2024-05",
                            None,
                        ),
                    ),
                ),
            ),
        ),
    ),
)

CONTENTS = {"send": SEND, "youth": YOUTH, "adults": ADULTS}
