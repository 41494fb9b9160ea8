"""The demo community for Knowhow: users, tags, Q&A threads and microlearns.

A pure data module (no app imports) describing a mid-size company that runs care
homes, retail stores and a head office. Threads cover aged care, retail customer
service, compliance, onboarding and IT how-to. The learning catalogue
(``MICROLEARNS``) has members' ratings and playlists; some questions are about a
microlearn (``"microlearn"``) and posts cite microlearns as ``[[ml:KEY]]``, so
every link in the demo leads somewhere inside the app.

Timing conventions:

* ``joined_days_ago`` and ``days_ago`` count back from "now" at seed time.
* Every ``hours_after`` (answers, comments on the question or on an answer, edits)
  is measured from the question's creation, and is always less than
  ``days_ago * 24`` so nothing is created in the future. Comments on an answer are
  always later than the answer, and ``answer.hours_after + comment.hours_after``
  also stays in the past, so a seeder may equally read comment offsets as relative
  to the answer.
* These numbers are approximate on screen: the seeder moves each question back to
  a seeded time of its day and shrinks its thread's offsets by up to 15%, keeping
  their order (see ``forum.demo.cli.schedule_thread``).
* Replies that react to a post ("+1", "bookmarking this", "same here") are
  comments on that post, not answers.
* ``body`` on a question is the original text; ``edits`` (in order) are later
  revisions, so the last edit's ``body`` is the current text.

Call :func:`validate` to check the invariants the seeder relies on.
"""

from __future__ import annotations

import re
from typing import Any

USERS: list[dict[str, Any]] = [
    {
        "key": "aisha",
        "display_name": "Aisha Rahman",
        "email": "aisha.rahman@example.com",
        "role": "admin",
        "about": (
            "Learning & Development lead. I look after the microlearn catalogue and "
            "this network. If you can't find a course you need, **tell me**."
        ),
        "joined_days_ago": 400,
    },
    {
        "key": "tom",
        "display_name": "Tom Brennan",
        "email": "tom.brennan@example.com",
        "role": "moderator",
        "about": (
            "IT Service Desk team lead. VPN, passwords, Teams, Outlook, printers that "
            "hate you. Urgent? Ring ext. 4357."
        ),
        "joined_days_ago": 390,
    },
    {
        "key": "grace",
        "display_name": "Grace Mensah",
        "email": "grace.mensah@example.com",
        "role": "moderator",
        "about": (
            "Clinical lead nurse across our three care homes. Moving & handling "
            "trainer and infection prevention link nurse."
        ),
        "joined_days_ago": 380,
    },
    {
        "key": "maria",
        "display_name": "Maria Okafor",
        "email": "maria.okafor@example.com",
        "role": "member",
        "about": (
            "Team leader on Willow unit, Elm House. Worked 6 years at our Northgate "
            "store before switching to care. Rota spreadsheets are my guilty pleasure."
        ),
        "joined_days_ago": 350,
    },
    {
        "key": "kevin",
        "display_name": "Kevin Walsh",
        "email": "kevin.walsh@example.com",
        "role": "member",
        "about": (
            "Store manager, Riverside. 15 years in retail, still love a busy Saturday."
        ),
        "joined_days_ago": 330,
    },
    {
        "key": "priya",
        "display_name": "Priya Nair",
        "email": "priya.nair@example.com",
        "role": "member",
        "about": (
            "Data Protection Officer and compliance manager. No question is too small: "
            "asking first is always better than fixing later."
        ),
        "joined_days_ago": 300,
    },
    {
        "key": "jonas",
        "display_name": "Jonas Becker",
        "email": "jonas.becker@example.com",
        "role": "member",
        "about": (
            "Finance: payroll, supplier payments and month-end. Excel power user "
            "(wannabe)."
        ),
        "joined_days_ago": 310,
    },
    {
        "key": "hannah",
        "display_name": "Hannah Li",
        "email": "hannah.li@example.com",
        "role": "member",
        "about": "HR advisor. Onboarding, holidays, benefits and the HR portal.",
        "joined_days_ago": 370,
    },
    {
        "key": "fatima",
        "display_name": "Fatima Yusuf",
        "email": "fatima.yusuf@example.com",
        "role": "member",
        "about": (
            "Health & safety adviser. Please report near misses, they are how we "
            "prevent the next injury."
        ),
        "joined_days_ago": 340,
    },
    {
        "key": "olu",
        "display_name": "Oluwaseun Adeyemi",
        "email": "oluwaseun.adeyemi@example.com",
        "role": "member",
        "about": (
            "Data analyst at head office. Ask me about XLOOKUP, pivot tables and Power "
            "Query."
        ),
        "joined_days_ago": 280,
    },
    {
        "key": "ben",
        "display_name": "Ben Carter",
        "email": "ben.carter@example.com",
        "role": "member",
        "about": "Sales assistant at Northgate, part-time while I finish uni.",
        "joined_days_ago": 260,
    },
    {
        "key": "lucia",
        "display_name": "Lucía Fernández",
        "email": "lucia.fernandez@example.com",
        "role": "member",
        "about": "Senior carer on Oak unit. From Valencia, in the UK since 2019.",
        "joined_days_ago": 245,
    },
    {
        "key": "wojtek",
        "display_name": "Wojciech Nowak",
        "email": "wojciech.nowak@example.com",
        "role": "member",
        "about": "Customer assistant, Riverside store. Everyone call me Wojtek.",
        "joined_days_ago": 160,
    },
    {
        "key": "chloe",
        "display_name": "Chloé Dubois",
        "email": "chloe.dubois@example.com",
        "role": "member",
        "about": "Receptionist at Elm House.",
        "joined_days_ago": 120,
    },
    {
        "key": "sam",
        "display_name": "Sam Taylor",
        "email": "sam.taylor@example.com",
        "role": "member",
        "about": "New Accounts Payable assistant. Still learning where the kitchen is.",
        "joined_days_ago": 9,
    },
    {
        "key": "rosa",
        "display_name": "Rosa Martins",
        "email": "rosa.martins@example.com",
        "role": "member",
        "about": "",
        "joined_days_ago": 45,
    },
    {
        "key": "callum",
        "display_name": "Callum Reid",
        "email": "callum.reid@example.com",
        "role": "member",
        "about": "",
        "joined_days_ago": 3,
    },
]

TAGS: list[dict[str, Any]] = [
    {
        "name": "aged-care",
        "excerpt": "Day-to-day care of older residents in our care homes.",
        "wiki": (
            "General questions about working in our care homes.\n\n"
            "Use a more specific tag as well where one fits, e.g. `dementia`, "
            "`medication` or `manual-handling`."
        ),
    },
    {
        "name": "manual-handling",
        "excerpt": (
            "Moving and handling people and loads safely: hoists, slings, slide sheets."
        ),
        "wiki": (
            "Always follow the resident's **moving & handling plan**. If the plan "
            "doesn't work in practice, ask for a reassessment rather than working "
            "around it.\n\nRefresher: [[ml:slide-sheets-repositioning]]\n\n"
            "Everything on moving and handling: "
            "[Learn → manual-handling](/learn?tag=manual-handling)"
        ),
    },
    {
        "name": "medication",
        "excerpt": (
            "Medication rounds, MAR charts, refusals, covert medication and errors."
        ),
        "wiki": (
            "Refusals and recording: [[ml:medication-refusals]]\n\n"
            "Medication errors are reported on the incident system **the same shift**."
        ),
    },
    {
        "name": "dementia",
        "excerpt": "Communicating with and supporting people living with dementia.",
        "wiki": (
            "Our approach is person-centred: the *This is me* document in each care "
            "plan tells you what matters to the person.\n\n"
            "Ask your home's Dementia Champion for support."
        ),
    },
    {
        "name": "infection-control",
        "excerpt": "Hand hygiene, PPE, outbreaks and cleaning in care settings.",
        "wiki": (
            "Suspected outbreak? Tell the nurse in charge first. The outbreak pack "
            "has the letter, signs and visitor log:\n\n[[ml:ipc-outbreak-pack]]"
        ),
    },
    {
        "name": "retail",
        "excerpt": "Working in our stores: shop floor, stock, opening and closing.",
        "wiki": "",
    },
    {
        "name": "customer-service",
        "excerpt": (
            "Helping customers, handling complaints and difficult conversations."
        ),
        "wiki": (
            "Remember **acknowledge, apologise, act**. You never have to accept abuse: "
            "call a supervisor and step back."
        ),
    },
    {
        "name": "refunds",
        "excerpt": "Refunds, exchanges, returns without receipts and gift cards.",
        "wiki": "Refunds policy at a glance:\n\n[[ml:refunds-policy]]",
    },
    {
        "name": "till",
        "excerpt": "Till procedures: transactions, voids, cashing up and variances.",
        "wiki": (
            "Short how-tos for the till: [Learn → till](/learn?tag=till), and "
            "the *Till basics* playlist on [Playlists](/playlists)."
        ),
    },
    {
        "name": "compliance",
        "excerpt": (
            "Company policies and the law: what we must do and how to do it right."
        ),
        "wiki": (
            "Not sure? Ask here or email compliance@example.com. "
            "Asking is never the wrong answer."
        ),
    },
    {
        "name": "gdpr",
        "excerpt": "Data protection: personal data, breaches, subject access requests.",
        "wiki": (
            "Report a possible breach **immediately**. We have 72 hours to decide "
            "whether to tell the ICO.\n\n[[ml:report-a-data-breach]]"
        ),
    },
    {
        "name": "anti-bribery",
        "excerpt": (
            "Gifts, hospitality, facilitation payments and conflicts of interest."
        ),
        "wiki": (
            "Log every gift or hospitality offered, accepted or declined:\n\n"
            "[[ml:gifts-and-hospitality]]"
        ),
    },
    {
        "name": "health-and-safety",
        "excerpt": "Incidents, near misses, risk assessments and staying safe at work.",
        "wiki": (
            "Report every incident and near miss, the same shift:\n\n"
            "[[ml:report-an-incident]]"
        ),
    },
    {
        "name": "onboarding",
        "excerpt": "Your first weeks: what to do, where to go and who to ask.",
        "wiki": (
            "Start with the first-week checklist and the *who to ask* page:\n\n"
            "[[ml:your-first-week]]\n\n[[ml:who-to-ask]]"
        ),
    },
    {
        "name": "payroll",
        "excerpt": "Pay, payslips, overtime, tax codes and payroll queries.",
        "wiki": (
            "Payday is the last working day of the month. Cut-off for changes and "
            "overtime approval is the **15th**."
        ),
    },
    {
        "name": "benefits",
        "excerpt": "Holidays, pension, cycle to work and other employee benefits.",
        "wiki": "",
    },
    {
        "name": "it-help",
        "excerpt": (
            "General IT questions: laptops, accounts, hardware and software requests."
        ),
        "wiki": (
            "Service Desk: ext. 4357 (24/7 for care homes). For anything that can "
            "wait, use the self-service portal:\n\n[[ml:it-self-service]]"
        ),
    },
    {
        "name": "vpn",
        "excerpt": (
            "Connecting to company systems from home or on the road with GlobalProtect."
        ),
        "wiki": "",
    },
    {
        "name": "passwords",
        "excerpt": (
            "Password resets, account lockouts and multi-factor authentication (MFA)."
        ),
        "wiki": (
            "Register for self-service reset **before** you need it:\n\n"
            "[[ml:self-service-password-reset]]"
        ),
    },
    {
        "name": "teams",
        "excerpt": "Microsoft Teams: chat, meetings, notifications and Shifts.",
        "wiki": "",
    },
    {
        "name": "outlook",
        "excerpt": "Outlook email and calendar, shared mailboxes and sharing.",
        "wiki": "",
    },
    {
        "name": "excel",
        "excerpt": (
            "Excel formulas, pivot tables and spreadsheets for rotas, reports and "
            "finance."
        ),
        "wiki": (
            "Tip: include your formula in a code block and say which Excel you use "
            "(Microsoft 365, 2019, web)."
        ),
    },
]

QUESTIONS: list[dict[str, Any]] = [
    # ------------------------------------------------------------------ aged care
    {
        "key": "q-slide-sheet-one-carer",
        "microlearn": "slide-sheets-repositioning",
        "author": "lucia",
        "title": "Can I use a slide sheet on my own if the resident is very light?",
        "body": """\
Hello, I work early shift on Oak unit. One lady is very small, maybe 40 kg, and her care
plan says **2 carers with slide sheet** for moving up the bed.

Often my colleague is busy with breakfasts and the lady is uncomfortable and ask me to
move her. Is it OK if I do it alone because she is so light? I don't want to do the
wrong thing but I also don't want her to wait.
""",
        "tags": ["manual-handling", "aged-care"],
        "days_ago": 40,
        "views": 312,
        "answers": [
            {
                "key": "a1",
                "author": "grace",
                "body": """\
Short answer: **no**. If the plan says two, it's two, however light the person is.

Why it matters:

- Slide sheets remove almost all friction. One person can't control the far side, so she
  can slide off the edge or get her arm trapped.
- You end up reaching across the bed, which is exactly how backs get injured.
- If something goes wrong, you're outside the plan and so is she.

If two carers isn't workable at that time of day, that's a **care plan review**, not a
reason to work around it. Tell your nurse in charge; sometimes there's a better option
(e.g. an in-situ slide sheet, or using the profiling bed's tilt function).

While you wait: make her comfortable with pillows, tell her when you'll be back, and
*actually come back*. A 3-minute refresher is here:

[[ml:slide-sheets-repositioning]]
""",
                "hours_after": 3,
                "comments": [
                    {
                        "author": "lucia",
                        "body": (
                            "Thank you Grace, very clear. I watched the video also."
                        ),
                        "hours_after": 7,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "maria",
                "body": (
                    "On Willow we had the same breakfast problem and solved it by "
                    "doing the repositioning round at 7:30, *before* the trays come "
                    "out, with two of us. Ask your team leader if Oak can do the same."
                ),
                "hours_after": 5,
                "comments": [
                    {
                        "author": "lucia",
                        "body": "Good idea! I will ask Joanne at handover tomorrow.",
                        "hours_after": 8,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "grace",
                "body": (
                    "Really good question to ask rather than just doing it. Thanks "
                    "Lucía."
                ),
                "hours_after": 1.5,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-hoist-sling-size",
        "microlearn": "hoist-sling-checks",
        "author": "maria",
        "title": (
            "How do you tell which hoist sling size a resident needs when the care "
            "plan just says 'medium'?"
        ),
        "body": """\
We've got different brands of sling on Willow unit and a "medium" in one brand is
nothing like a medium in the other. Mr D's care plan just says *medium full-body sling*.

Last night the night staff said it looked too big around his shoulders. Is there a
proper way to check the size, or do we have to get the physio back in every time?
""",
        "tags": ["manual-handling", "aged-care"],
        "days_ago": 180,
        "views": 455,
        "answers": [
            {
                "key": "a1",
                "author": "grace",
                "body": """\
Each manufacturer has its own sizing, so "medium" only means something next to the
brand. What I do:

1. **Check the label**: brand, size, colour code. Sizes are colour-coded but the colours
   are *not* the same between brands.
2. **Measure** using the manufacturer's method (for most full-body slings: from the base
   of the spine to the top of the head, sitting).
3. **Look at the fit in use**:
   - too big: resident sinks down, sling rides up around the ears, shoulders come
     forward;
   - too small: leg sections dig in, resident looks "folded".
4. **Update the care plan** with brand + size + which loops to use. "Medium" on its own
   isn't enough.
5. Any sling with **no label**: take it out of use. We can't check the size or the
   inspection date.

If you're still unsure after that, yes, ask for a reassessment. That's what we're for.
""",
                "hours_after": 6,
                "comments": [],
            },
            {
                "key": "a2",
                "author": "fatima",
                "body": (
                    "From the H&S side: every sling must be on the LOLER register and "
                    "inspected every 6 months. Unlabelled slings should be bagged up, "
                    "labelled *do not use* and logged on the equipment register so "
                    "we can trace them. The checks before every use, on one page:"
                    "\n\n[[ml:hoist-sling-checks]]"
                ),
                "hours_after": 20,
                "comments": [
                    {
                        "author": "maria",
                        "body": (
                            "Done, three old slings bagged up and logged. Thanks "
                            "Fatima."
                        ),
                        "hours_after": 26,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [
            {
                "author": "maria",
                "summary": "added the sling brands",
                "body": """\
We've got different brands of sling on Willow unit and a "medium" in one brand is
nothing like a medium in the other. Mr D's care plan just says *medium full-body sling*.

Last night the night staff said it looked too big around his shoulders. Is there a
proper way to check the size, or do we have to get the physio back in every time?

**Edit:** the slings are Arjo and Invacare, plus a couple of old ones with no label at
all.
""",
                "hours_after": 2,
            },
        ],
    },
    {
        "key": "q-refused-medication-mar",
        "microlearn": "medication-refusals",
        "author": "lucia",
        "title": "Resident refuse her evening tablets - what I write on the MAR chart?",
        "body": """\
Hi all. Mrs P refused her 6pm tablets today, she said "I already took them" (she
didn't). I tried again after 20 min, still no. What I must write on the MAR? And do I
need to tell somebody?
""",
        "tags": ["medication", "aged-care"],
        "days_ago": 60,
        "views": 280,
        "answers": [
            {
                "key": "a1",
                "author": "grace",
                "body": """\
Good that you tried once more and then stopped. Codes depend on the MAR supplier, so
check the key at the bottom of the chart. Ours (paper, from the pharmacy) use **R =
refused**.

What to do:

- Record **R** and your initials. *Never* leave the box blank.
- On the back of the MAR / in the daily notes, write what happened: times you offered,
  what she said, who else tried.
- **Tell the nurse in charge** and include it in handover.
- Don't just give the dose later without checking. Some medicines are time-critical
  (Parkinson's medication, insulin, anticoagulants); the nurse may need advice from the
  GP or 111.
- If she refuses regularly (our policy says 3 days in a row, or any critical medicine),
  the GP needs to review.
- Never hide tablets in food to get round a refusal. That's covert medication and needs
  a formal process.

What the policy says, on one page:

[[ml:medication-refusals]]
""",
                "hours_after": 2.5,
                "comments": [],
            },
            {
                "key": "a2",
                "author": "maria",
                "body": (
                    "One tip that works with a lot of residents: come back with a "
                    "**different face**. If she said no to you, ask a colleague to "
                    "offer 15 minutes later. It's amazing how often that works."
                ),
                "hours_after": 4,
                "comments": [
                    {
                        "author": "grace",
                        "body": (
                            "Yes, as long as it's documented who offered and when. "
                            "Good tip."
                        ),
                        "hours_after": 6,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "maria",
                "body": (
                    "Which MAR are you using, the new electronic one on the tablets or "
                    "paper?"
                ),
                "hours_after": 0.5,
            },
            {
                "author": "lucia",
                "body": "Still paper on Oak. Electronic one starts in June they said.",
                "hours_after": 0.8,
            },
        ],
        "edits": [
            {
                "author": "lucia",
                "summary": "added detail about my role",
                "body": """\
Hi all. Mrs P refused her 6pm tablets today, she said "I already took them" (she
didn't). I tried again after 20 min, still no. What I must write on the MAR? Which code?
And do I need to tell somebody?

I am senior carer, I do the meds round on Oak unit since my training in March, but this
is the first refusal I have.
""",
                "hours_after": 1,
            },
        ],
    },
    {
        "key": "q-covert-medication-yoghurt",
        "microlearn": "covert-medication-law",
        "author": "maria",
        "title": (
            "When is it allowed to crush tablets into yoghurt for a resident with "
            "dementia?"
        ),
        "body": """\
Agency nurse last weekend was crushing Mr H's tablets into his yoghurt because "he won't
take them otherwise". I'm not comfortable with it. He has advanced dementia and doesn't
have capacity for most decisions.

Is there an actual rule on this, or is it down to the nurse?
""",
        "tags": ["medication", "dementia", "aged-care"],
        "days_ago": 210,
        "views": 390,
        "answers": [
            {
                "key": "a1",
                "author": "grace",
                "body": """\
You're right to question it. Hiding medicine in food or drink is **covert
administration** and it's only allowed when *all* of this is in place:

1. A **capacity assessment** specific to the decision about taking his medicines.
2. A **best-interests decision** involving the GP, the nurse, a pharmacist and the
   family (or his attorney if he has a health & welfare LPA).
3. **Pharmacist advice** on how to give each medicine. Crushing can make some medicines
   dangerous or useless, e.g. anything marked `MR`, `SR`, `XL` or enteric-coated.
4. A written **covert medication plan** in the care plan, reviewed regularly.

Without that, it's not OK, whoever is doing it. Please raise it with the nurse in charge
and log it on the incident system so it's followed up, not to blame anyone.
""",
                "hours_after": 3,
                "comments": [
                    {
                        "author": "maria",
                        "body": (
                            "Thanks Grace. Raised with the manager and the GP is "
                            "coming Thursday to start the best-interests process."
                        ),
                        "hours_after": 30,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "aisha",
                "body": (
                    "There's a 5-minute microlearn on exactly this, including the "
                    "capacity assessment and who has to sign the plan:\n\n"
                    "[[ml:covert-medication-law]]\n\n"
                    "It's also in the *Medication Rounds* playlist."
                ),
                "hours_after": 9,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-dementia-going-home-mother",
        "microlearn": "dementia-going-home",
        "author": "lucia",
        "title": (
            "Resident with dementia asks every afternoon to go home to her mother. "
            "What should I say?"
        ),
        "body": """\
Mrs K is 91 and every day around 4pm she puts her coat on and says she must go home, her
mother is waiting for her. Her mother died many years ago of course.

Some colleagues tell her the truth, that her mother is dead, and she cries very much.
Others say "your mother is coming later". I don't know what is right. I don't want to
lie to her but I don't want to make her sad every day.
""",
        "tags": ["dementia", "aged-care"],
        "days_ago": 25,
        "views": 610,
        "answers": [
            {
                "key": "a1",
                "author": "maria",
                "body": """\
This is one of the hardest parts of the job, and it's lovely that you're thinking about
it. What works best for us is **responding to the feeling, not the facts**.

- **Don't correct her.** If you tell her that her mother died, she hears it for the
  first time, every time. That's why she cries.
- **Don't invent big stories either.** "She's coming later" often makes her wait by the
  door for hours.
- **Talk about her mother instead.** "You're thinking about your mum. What was she
  like?" or "What would she be cooking for tea now?"
- **Think about what 4pm meant.** At that time she probably collected children or made
  tea. "Going home" often means *I feel unsafe* or *I should be doing something*. Give
  her a job: folding towels, laying the tables.
- **Check the basics**: pain, toilet, hungry, thirsty, tired, too noisy.

Then write down what works in her *This is me* document so **everyone** responds the
same way. Consistency is half of it.
""",
                "hours_after": 2,
                "comments": [
                    {
                        "author": "lucia",
                        "body": (
                            "Thank you Maria. Today I asked about her mother and she "
                            "told me 20 minutes about her mother's bakery. She was "
                            "smiling!"
                        ),
                        "hours_after": 26,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "grace",
                "body": (
                    "Talk to the family as well: they know what *home* and "
                    "*mother* meant to her and can give you the best conversation "
                    "starters. And notice that 4pm is shift handover on most units: "
                    "noise, people with coats and bags leaving. That's a trigger for a "
                    "lot of residents."
                ),
                "hours_after": 4,
                "comments": [],
            },
            {
                "key": "a3",
                "author": "aisha",
                "body": (
                    "Our Dementia Champions made a short video about this situation "
                    "(3 min, filmed at Elm House). Reception staff found it useful "
                    "too:\n\n[[ml:dementia-going-home]]"
                ),
                "hours_after": 6,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "chloe",
                "body": (
                    "We see this at reception as well, residents come to the front "
                    "door around that time. Following this thread."
                ),
                "hours_after": 5,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-sundowning-reception",
        "author": "chloe",
        "title": (
            "Residents come to reception late afternoon wanting to leave - what should "
            "reception staff do?"
        ),
        "body": """\
Bonjour, I'm receptionist at Elm House since January. Between 4 and 6pm some residents
come to the front desk and want to go out. One gentleman is quite insistent and tried
the door code himself.

I'm not a carer and I don't have the training for this. What should I do while I wait
for a carer to come? I read the thread about "going home" but it's more for carers.
""",
        "tags": ["dementia", "customer-service", "aged-care"],
        "days_ago": 16,
        "views": 140,
        "answers": [
            {
                "key": "a1",
                "author": "grace",
                "body": """\
You're already doing the most important thing by calling a carer. While you wait:

- Stay calm and friendly, and come out from behind the desk if you can. Sit with him.
- Ask where he's going and listen. Offer a cup of tea "before you go".
- **Don't physically block the door.** If he's very distressed, keep him talking and let
  the carer take over.
- If a resident gets out, follow the *missing person* procedure straight away; it's in
  the red folder at reception.
""",
                "hours_after": 3,
                "comments": [],
            },
            {
                "key": "a2",
                "author": "maria",
                "body": (
                    "That's probably Mr R. His care plan says he worked nights at the "
                    'sorting office for 30 years, so 5pm is "going to work" for him. '
                    "Ask him about the post office, it works every time. I'll ask the "
                    "team to share things like this with reception, you should be in "
                    "the loop."
                ),
                "hours_after": 5,
                "comments": [],
            },
        ],
        "accepted": None,
        "comments": [
            {
                "author": "aisha",
                "body": (
                    "Chloé, I've added you to the Dementia Friends session on the "
                    "14th. Reception staff are very welcome; you're often the first "
                    "person they meet."
                ),
                "hours_after": 20,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-apron-between-residents",
        "author": "maria",
        "title": (
            "Do we really need to change apron and gloves between every resident at "
            "breakfast?"
        ),
        "body": (
            "Helping with breakfast on the corridor: tray in, help cutting up, out, "
            "next room. Some staff keep the same apron on for the whole corridor. Is "
            "it per resident or per task? Want to get it right before our IPC audit "
            "next week."
        ),
        "tags": ["infection-control", "aged-care"],
        "days_ago": 140,
        "views": 205,
        "answers": [
            {
                "key": "a1",
                "author": "grace",
                "body": """\
**Per resident, per task.** Aprons and gloves are single-use. But it depends on the
task:

- **Just handing in a tray**, no contact with the resident: no apron or gloves needed.
  Hand hygiene before and after.
- **Helping someone eat / close contact**: clean apron for each resident.
- **Gloves** are for contact with body fluids, broken skin or mucous membranes, *not*
  for handing out food. Wearing gloves for everything actually spreads more bugs,
  because people forget to change them.
- **Hand hygiene between every resident**, always, with or without gloves.
""",
                "hours_after": 2,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "grace",
                "body": "Good timing, I'll cover this at Thursday's huddle too.",
                "hours_after": 0.4,
            },
            {
                "author": "fatima",
                "body": (
                    "The PPE quiz from the IPC audit is on Learn if you want to do a "
                    "dry run with the team: [PPE quiz](/learn/ppe-audit-quiz)."
                ),
                "hours_after": 7,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-norovirus-visitors",
        "microlearn": "ipc-outbreak-pack",
        "author": "grace",
        "title": "Suspected norovirus on Rose unit - what exactly do we tell visitors?",
        "body": """\
We've had 4 residents and 2 staff with vomiting/diarrhoea since Sunday. Health
protection team has been informed. Manager is off until tomorrow and families are
phoning and turning up at the door.

- What's the standard message?
- Can we stop visits completely?

I want the nurses, night staff **and reception** to say the same thing.
""",
        "tags": ["infection-control", "aged-care"],
        "days_ago": 55,
        "views": 360,
        "answers": [
            {
                "key": "a1",
                "author": "maria",
                "body": """\
We had one on Willow last winter. This is what we said (approved by the health
protection team at the time):

> We currently have an outbreak of a stomach bug on Rose unit. To protect your relative
> and others, please postpone non-essential visits until 48 hours after the last new
> case. If you need to visit, for example at end of life, please speak to the nurse in
> charge first. Thank you for helping us keep everyone safe.

Also:

- Signs on the front door **and** the Rose unit door.
- Visitors who do come: wash hands with **soap and water** (alcohol gel does *not* kill
  norovirus), go straight to the room, no lounge or dining room.
- Nobody visits if they had symptoms in the last 48 hours.
- Keep a list of who visited and when.

Template letter and signs are in the outbreak pack:

[[ml:ipc-outbreak-pack]]
""",
                "hours_after": 1,
                "comments": [
                    {
                        "author": "chloe",
                        "body": (
                            "Printed and stuck next to the phone at reception. Merci "
                            "Maria!"
                        ),
                        "hours_after": 5,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "fatima",
                "body": (
                    "For staff: anyone with symptoms stays off until **48 hours "
                    "symptom-free**. The outbreak pack has the staff absence log too. "
                    "Please keep it up to date, the health protection team will ask "
                    "for it."
                ),
                "hours_after": 3,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "chloe",
                "body": (
                    "Reception here. Could someone send me the wording so I can say "
                    "the same on the phone?"
                ),
                "hours_after": 2,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-hand-gel-after-toileting",
        "author": "lucia",
        "title": (
            "Is hand gel enough after I help someone on the toilet, or must I wash "
            "hands?"
        ),
        "body": (
            "On night shift the sink is far from some rooms. After I help a resident "
            "to the toilet (with gloves) is alcohol gel ok, or I must go to the sink "
            "every time? Thanks"
        ),
        "tags": ["infection-control", "aged-care"],
        "days_ago": 0.3,
        "views": 9,
        "answers": [],
        "accepted": None,
        "comments": [],
        "edits": [],
    },
    # --------------------------------------------------------------------- retail
    {
        "key": "q-refund-no-receipt",
        "microlearn": "refunds-policy",
        "author": "ben",
        "title": "Customer wants a refund but has no receipt - what are my options?",
        "body": """\
Had a customer today with a kettle, still boxed, says she bought it 2 weeks ago, lost
the receipt, wants the money back on her card. The till won't let me do a refund without
the transaction number.

I ended up calling my supervisor but she was on break and the customer got annoyed.
What's the actual policy?
""",
        "tags": ["refunds", "customer-service", "retail"],
        "days_ago": 150,
        "views": 720,
        "answers": [
            {
                "key": "a1",
                "author": "kevin",
                "body": """\
Good question, this comes up every week. The full policy is on one page, in
[[ml:refunds-policy]], but in short:

1. **Paid by card?** Look the sale up with the card: `Refunds > Find sale > Card lookup`
   (last 4 digits + date range). Works for 90 days.
2. **Found it** → normal refund to the same card.
3. **Not found, or paid cash** → offer an **exchange or a gift card** at the current
   selling price. No cash refunds without proof of purchase.
4. Anything over **£100** without proof needs a supervisor code.
5. **Faulty items** are different: customers don't legally need the *receipt*, just
   proof of purchase. A bank statement counts.

And if a supervisor isn't available, it's fine to say "I'll just check that for you" and
take two minutes. Most people are OK if you tell them what you're doing.
""",
                "hours_after": 2,
                "comments": [
                    {
                        "author": "ben",
                        "body": (
                            "Didn't know about card lookup at all! It wasn't in the "
                            "till training I got. Thanks Kevin."
                        ),
                        "hours_after": 3,
                    },
                    {
                        "author": "kevin",
                        "body": (
                            "Fair point Ben, I'll ask L&D to add it to the till "
                            "microlearn."
                        ),
                        "hours_after": 4,
                    },
                    {
                        "author": "maria",
                        "body": (
                            "I worked at Northgate before I moved into care. Card "
                            "lookup is a lifesaver. Just check the product is actually "
                            'one we sell: we once had someone "return" a kettle from a '
                            "different shop 😅"
                        ),
                        "hours_after": 9,
                    },
                    {
                        "author": "aisha",
                        "body": (
                            "Added a 2-minute [Card lookup refunds]"
                            "(/learn/card-lookup-refunds) clip to the *Till basics* "
                            "playlist."
                        ),
                        "hours_after": 50,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "wojtek",
                "body": (
                    "Also the bank app on their phone is proof of purchase, many "
                    "customers don't know this. I ask them to show the payment in the "
                    "app, then I can find the sale with date and amount."
                ),
                "hours_after": 6,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-angry-customer-queue",
        "microlearn": "upset-customer-60-seconds",
        "author": "wojtek",
        "title": (
            "Customer shouted at me at the till because the queue was long - what is "
            "the best way to react?"
        ),
        "body": """\
Saturday we were only two on tills and the queue was very long. One man shout at me
"this is a joke, open more tills" and he was very red.

I said sorry but my English is not so fast when someone shouts, and I froze a little
bit. What do you say in this situation? Any phrases I can learn?
""",
        "tags": ["customer-service", "retail"],
        "days_ago": 70,
        "views": 430,
        "answers": [
            {
                "key": "a1",
                "author": "kevin",
                "body": """\
First: freezing is completely normal, and you stayed polite, which is the main thing.

We train **acknowledge, apologise, act**. Some phrases that work:

- *"I'm sorry you've had to wait, I understand it's frustrating."*
- *"I'll get you served as quickly as I can."*
- *"Let me call for another till to open."* (and press the call bell, that's what it's
  for!)

Tips:

- Don't explain *why* there are only two tills. People hear it as an excuse.
- Keep your voice **lower and slower** than theirs.
- If it turns into abuse or threats, you don't have to take it. Ring the bell twice for
  a supervisor and step back.
""",
                "hours_after": 2,
                "comments": [],
            },
            {
                "key": "a2",
                "author": "ben",
                "body": (
                    "What helped me: I have **one sentence** I always say, memorised, "
                    "so I don't need to think. Mine is *\"Sorry about the wait, thanks "
                    "for your patience, let's get you sorted.\"* Say it with a smile "
                    "and most people calm down."
                ),
                "hours_after": 5,
                "comments": [],
            },
            {
                "key": "a3",
                "author": "aisha",
                "body": (
                    "There's a microlearn with example phrases and audio, with "
                    "subtitles in Polish, Romanian and Portuguese:\n\n"
                    "[[ml:upset-customer-60-seconds]]"
                ),
                "hours_after": 8,
                "comments": [
                    {
                        "author": "wojtek",
                        "body": (
                            "Polish subtitles, super! I watched it two times. Thank "
                            "you."
                        ),
                        "hours_after": 12,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "kevin",
                "body": (
                    "Which store, Wojtek? Two tills on a Saturday shouldn't happen, "
                    "I'll look at the rota."
                ),
                "hours_after": 1,
            },
            {
                "author": "wojtek",
                "body": "Riverside. It was because two colleagues was sick that day.",
                "hours_after": 1.5,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-till-short-cashing-up",
        "author": "ben",
        "title": "My till was £10 short at cashing up - will I get in trouble?",
        "body": (
            "First time this happened to me. Counted twice, still £10 short. "
            "Supervisor signed the sheet and didn't say much. Is this a disciplinary "
            "thing?? Does it come out of my pay? Bit worried tbh"
        ),
        "tags": ["till", "retail"],
        "days_ago": 95,
        "views": 260,
        "answers": [
            {
                "key": "a1",
                "author": "kevin",
                "body": """\
No and no.

- Small variances (under **£20**) happen. They're recorded on the cash-up sheet and
  that's it.
- We **never** deduct shortages from pay.
- What we look at is *patterns*: the same till short again and again, or big amounts.
  Then we'd sit down with you and look at it together, not accuse anyone.

Habits that help:

- Count change back to the customer out loud.
- Leave the note on top of the till drawer until the transaction is finished.
- Never swap notes for coins "for the float" outside the till.
""",
                "hours_after": 1.5,
                "comments": [],
            },
            {
                "key": "a2",
                "author": "jonas",
                "body": (
                    "From finance: the variance just goes to the store's *cash "
                    "over/short* account. Plenty of stores are **over** on other days. "
                    "Nobody in finance looks at individual tills under £20."
                ),
                "hours_after": 6,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "wojtek",
                "body": "Happened to me also in my first month. Don't worry Ben.",
                "hours_after": 3,
            },
            {
                "author": "maria",
                "body": (
                    "When I was on tills at Northgate it happened to me about once a "
                    "month at first. It goes away once you get a routine."
                ),
                "hours_after": 10,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-gift-card-split-refund",
        "author": "kevin",
        "title": (
            "Refund of an item bought partly with a gift card: back to the gift card "
            "or cash?"
        ),
        "body": (
            "Quick one for finance: customer paid for a £55 coat with a £40 gift card "
            "+ £15 on debit card. Now returning it. Till splits the refund "
            "automatically, but she wants it all on her debit card because the gift "
            'card "expires soon". Am I allowed to do that?'
        ),
        "tags": ["refunds", "till", "retail"],
        "days_ago": 18,
        "views": 88,
        "answers": [
            {
                "key": "a1",
                "author": "jonas",
                "body": (
                    "Refunds go back to the **original tender**: £40 to a gift card, "
                    "£15 to her debit card. If the old gift card is near expiry, issue "
                    "a **new** gift card for the £40 (that gets a fresh 24-month "
                    "expiry). We don't convert gift card balances to cash."
                ),
                "hours_after": 3,
                "comments": [
                    {
                        "author": "kevin",
                        "body": (
                            "Makes sense, thanks Jonas. She was happy with a new card "
                            "in the end."
                        ),
                        "hours_after": 5,
                    },
                    {
                        "author": "ben",
                        "body": (
                            "The till can do the new card bit if you scan the original "
                            "receipt: `Tender > Gift card > Issue new`. Took me ages "
                            "to find it the first time."
                        ),
                        "hours_after": 7,
                    },
                ],
            },
        ],
        "accepted": None,
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-customer-filming-staff",
        "author": "ben",
        "title": (
            "Customer started filming me on his phone during a complaint. Can I ask "
            "him to stop?"
        ),
        "body": """\
Customer was unhappy about a refund decision and started filming me, said he'd "put it
on TikTok". I felt really uncomfortable.

- Can I ask him to stop?
- Can I refuse to carry on serving him?
- What if it goes online with my name badge visible?
""",
        "tags": ["customer-service", "gdpr", "retail"],
        "days_ago": 12,
        "views": 150,
        "answers": [
            {
                "key": "a1",
                "author": "priya",
                "body": """\
Sorry, that sounds horrible. On the data protection side:

- You can **politely ask him to stop** and say you're happy to continue the conversation
  without being filmed.
- You don't have to keep answering questions while being filmed. Say you'll get a
  manager.
- If a video appears online that identifies you, tell your manager and email
  **dataprotection@example.com**. We can ask the platform to take it down, and we're
  usually successful when staff are identifiable.
""",
                "hours_after": 4,
                "comments": [],
            },
            {
                "key": "a2",
                "author": "kevin",
                "body": (
                    "Store managers can ask people not to film in the store, and ask "
                    "them to leave if they won't stop. Ben, don't argue: just say "
                    '*"I\'m going to get my manager"* and step back. And log it on '
                    "the incident form afterwards."
                ),
                "hours_after": 6,
                "comments": [
                    {
                        "author": "ben",
                        "body": (
                            "Thanks both. It did end up online but without sound and "
                            "you can't really read my badge. Still not nice."
                        ),
                        "hours_after": 30,
                    },
                ],
            },
        ],
        "accepted": None,
        "comments": [
            {
                "author": "fatima",
                "body": (
                    "Please do log it as an incident, Ben. These count towards the "
                    "store's violence & aggression risk assessment."
                ),
                "hours_after": 8,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-report-threatening-customer",
        "author": "wojtek",
        "title": "Where do I report a customer who threatened me in the car park?",
        "body": (
            "After my shift a customer who I refused a refund earlier waited near my "
            'car and said he will "remember my face". Nothing happened after. I told '
            "my manager but is there a form? Should I call police?"
        ),
        "tags": ["health-and-safety", "customer-service", "retail"],
        "days_ago": 35,
        "views": 198,
        "answers": [
            {
                "key": "a1",
                "author": "fatima",
                "body": """\
I'm sorry this happened. It's not OK, and you did the right thing telling your manager.

1. **If you feel in danger at any time, call 999.** To report a threat afterwards, you
   can call the police on 101 or report online. They'll give you a reference number.
2. **Log it internally** on the incident system, category *Violence & aggression*
   (5 minutes, works on your phone; how: [[ml:report-an-incident]]).
3. Your manager should **review the store risk assessment**, e.g. staff leaving together
   after close, and keeping the CCTV.
4. The **Employee Assistance Programme** is free, confidential and 24/7 if you want to
   talk to someone. Details on the HR page of the intranet.
""",
                "hours_after": 2,
                "comments": [
                    {
                        "author": "wojtek",
                        "body": (
                            "I reported it. Police gave me a reference number. Thank "
                            "you Fatima."
                        ),
                        "hours_after": 22,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "kevin",
                "body": (
                    "Wojtek, I've asked Riverside to keep the CCTV from that evening. "
                    "From now on close-down staff leave together. Message me if you "
                    "want to talk."
                ),
                "hours_after": 3,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-price-match-website",
        "author": "ben",
        "title": "Do stores price match our own website when it's cheaper online?",
        "body": (
            "Customer showed me the same toaster on our website £5 cheaper than the "
            "shelf price. Do we match it? Couldn't find anything on the intranet."
        ),
        "tags": ["retail", "customer-service"],
        "days_ago": 0.8,
        "views": 14,
        "answers": [],
        "accepted": None,
        "comments": [
            {
                "author": "wojtek",
                "body": (
                    "I had the same question last week, somebody said yes but only "
                    "with a manager code. Not sure."
                ),
                "hours_after": 3,
            },
        ],
        "edits": [],
    },
    # ----------------------------------------------------------------- compliance
    {
        "key": "q-gdpr-whatsapp-shift-swaps",
        "author": "maria",
        "title": "Is it OK to use a WhatsApp group for shift swaps on our unit?",
        "body": """\
Most of the Willow unit staff are in a WhatsApp group we use for swapping shifts and
"can anyone cover Saturday?". Someone said at the team meeting this breaks GDPR.

Is that true? We **never** talk about residents in it. It's really useful and most staff
don't check their work email.
""",
        "tags": ["gdpr", "compliance", "aged-care"],
        "days_ago": 240,
        "views": 880,
        "answers": [
            {
                "key": "a1",
                "author": "priya",
                "body": """\
Good that you asked. Short version: **shift swaps are OK-ish, resident information
never.**

- **Staff names and numbers** in a *voluntary* group is low risk, as long as everyone
  chose to join and whoever runs the group removes leavers promptly.
- **Never** post anything about residents: names, room numbers, photos, "Mrs X had a
  fall". Not even first names or initials. That would be a data breach.
- **Don't screenshot the rota.** It sometimes shows absence reasons, which is health
  data.
- Nobody should be pressured to join, and official messages still go through official
  channels.

A better option for swaps is Shifts in Teams, which now supports swap requests:

[[ml:teams-shift-swaps]]
""",
                "hours_after": 3,
                "comments": [
                    {
                        "author": "maria",
                        "body": (
                            "Thanks Priya. Went through this at our huddle: removed "
                            "two leavers from the group and agreed no resident info, "
                            "ever."
                        ),
                        "hours_after": 48,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "tom",
                "body": (
                    "Shift swap requests in Teams Shifts are live for all care homes. "
                    "It works on your phone and nobody sees your personal number. "
                    "Happy to do a 10-minute demo for the unit."
                ),
                "hours_after": 5,
                "comments": [
                    {
                        "author": "maria",
                        "body": (
                            "Yes please Tom! Tuesdays 2pm is handover overlap, best "
                            "for us."
                        ),
                        "hours_after": 7,
                    },
                    {
                        "author": "tom",
                        "body": "Booked for Tuesday the 14th, see you then.",
                        "hours_after": 9,
                    },
                ],
            },
            {
                "key": "a3",
                "author": "aisha",
                "body": (
                    "This came up three times in a month, so we made a 3-minute "
                    "microlearn with Priya's guidance for every messaging app:\n\n"
                    "[[ml:whatsapp-at-work]]"
                ),
                "hours_after": 72,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "lucia",
                "body": "We have the same kind of group on Oak unit. Good question.",
                "hours_after": 4,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-subject-access-request-store",
        "microlearn": "subject-access-requests",
        "author": "kevin",
        "title": (
            'A customer asked for "all the data you hold about me" - what do I do?'
        ),
        "body": (
            "Regular customer asked at the service desk for a copy of all the personal "
            "data we hold on him (loyalty card, CCTV, emails). He wrote it on a piece "
            "of paper. Do we deal with this in store? Is there a deadline?"
        ),
        "tags": ["gdpr", "compliance", "customer-service"],
        "days_ago": 75,
        "views": 230,
        "answers": [
            {
                "key": "a1",
                "author": "priya",
                "body": """\
That's a **subject access request (SAR)**. It's valid even on paper or said out loud,
and it doesn't have to mention GDPR.

- **Deadline: one calendar month** from when we received it. The clock started when he
  handed you the note.
- **Don't handle it in store.** Forward it *today* to dataprotection@example.com with
  the date received, his contact details and a photo of the note.
- We'll verify his ID and collect the data from loyalty, CCTV and customer services.
- **CCTV is overwritten after 30 days**, so tell us if he mentioned a specific date and
  we'll preserve the footage.
- No fee.

Guidance for stores:

[[ml:subject-access-requests]]
""",
                "hours_after": 1.5,
                "comments": [
                    {
                        "author": "kevin",
                        "body": (
                            "Sent it over this morning. Didn't realise the clock "
                            "starts from when he gave it to us, glad I asked."
                        ),
                        "hours_after": 18,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-supplier-football-tickets",
        "author": "kevin",
        "title": (
            "Supplier rep offered me two tickets to a football match - do I need to "
            "declare it?"
        ),
        "body": """\
Rep from one of our homeware suppliers offered two tickets to a Premier League match
(hospitality box) "as thanks for a good year".

We're also in the middle of reviewing the range for next season, which includes his
products. Accept and declare, or just say no?
""",
        "tags": ["anti-bribery", "compliance", "retail"],
        "days_ago": 110,
        "views": 340,
        "answers": [
            {
                "key": "a1",
                "author": "priya",
                "body": """\
Good instinct to ask. Under our Gifts & Hospitality policy:

- Anything over **£50** must be declared in the register and approved by your line
  manager **before** you accept.
- Hospitality from a supplier while you're making a decision about them (range review,
  tender, contract renewal): **decline**. The timing makes it look like an inducement,
  whatever the intention, and that's exactly what the Bribery Act 2010 is about.
- A polite way to say it: *"That's really kind, but we're in the middle of the range
  review so I can't accept anything right now."*
- **Log the declined offer** in the register too (how: [[ml:gifts-and-hospitality]]).
""",
                "hours_after": 2,
                "comments": [
                    {
                        "author": "jonas",
                        "body": (
                            "For context, hospitality box tickets are easily £300-500 "
                            "*each*. Logging declined offers also protects you if "
                            "anyone asks questions later."
                        ),
                        "hours_after": 4,
                    },
                    {
                        "author": "kevin",
                        "body": (
                            "Declined and logged. He was totally fine about it "
                            "actually."
                        ),
                        "hours_after": 28,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-family-gift-cash",
        "author": "maria",
        "title": "A resident's family gave me £50 in a thank-you card. Can I keep it?",
        "body": (
            "Mr T passed away last month and his daughter came in today with cards for "
            "the staff. Mine had £50 in it. She was very emotional and I didn't want "
            "to refuse in front of her. What do I do now? Chocolates we always share, "
            "but cash feels different."
        ),
        "tags": ["anti-bribery", "compliance", "aged-care"],
        "days_ago": 65,
        "views": 270,
        "answers": [
            {
                "key": "a1",
                "author": "grace",
                "body": """\
You did the right thing not making a scene. For care homes the rule is simple: **staff
can't keep cash or vouchers personally**, whatever the amount.

What you can do:

- Give it to the manager for the **residents' comfort fund** (every home has one); it's
  recorded in the gifts register.
- Write to the daughter to thank her and tell her what the gift paid for. Families
  usually love that.
- Chocolates, flowers and biscuits shared with the team are fine.

It's there to protect *you*: residents and families can be vulnerable, and cash gifts
can lead to allegations of financial abuse, however innocent.
""",
                "hours_after": 2,
                "comments": [
                    {
                        "author": "priya",
                        "body": (
                            "Agreed. The register has a *care home* option and takes "
                            "two minutes: [how to log it]"
                            "(/learn/gifts-and-hospitality)."
                        ),
                        "hours_after": 5,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "lucia",
                "body": (
                    "Our home bought a garden bench with comfort fund money from "
                    "families last year. Residents love it."
                ),
                "hours_after": 9,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-near-miss-wet-floor",
        "microlearn": "report-an-incident",
        "author": "chloe",
        "title": (
            "I nearly slipped on a wet floor in reception but nobody was hurt. "
            "Do I still need to report it?"
        ),
        "body": (
            "The cleaner had mopped but there was no yellow sign. I slipped but caught "
            'the desk. Nobody hurt. My colleague said "no injury, no report". Is '
            "that right?"
        ),
        "tags": ["health-and-safety"],
        "days_ago": 50,
        "views": 120,
        "answers": [
            {
                "key": "a1",
                "author": "fatima",
                "body": """\
Your colleague is wrong, sorry! That's a **near miss** and we really want those
reported. Near misses show us where the next injury is going to happen.

- Report it on the incident system, category *Near miss* (about 3 minutes on your
  phone; how: [[ml:report-an-incident]]).
- Add a photo if the floor is still wet.
- Let the housekeeping lead know, so signs are used every time.
""",
                "hours_after": 1,
                "comments": [
                    {
                        "author": "chloe",
                        "body": "Reported! It was much easier than I thought.",
                        "hours_after": 3,
                    },
                    {
                        "author": "maria",
                        "body": (
                            "Agree. And Elm House reception floor is a known spot, "
                            "there were two near misses there last year. The more "
                            "reports, the more chance we get the anti-slip mats."
                        ),
                        "hours_after": 4,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-email-sent-to-wrong-person",
        "microlearn": "report-a-data-breach",
        "author": "olu",
        "title": (
            "I sent a spreadsheet with staff names to the wrong external email "
            "address. What now?"
        ),
        "body": (
            "Autocomplete picked Daniel Richards at an agency instead of our Daniel "
            "Richards in payroll. Spreadsheet has ~40 staff names and their overtime "
            "hours. Sent 10 minutes ago. Recall didn't work because it's external. "
            "Panicking a bit."
        ),
        "tags": ["gdpr", "outlook", "compliance"],
        "days_ago": 45,
        "views": 310,
        "answers": [
            {
                "key": "a1",
                "author": "priya",
                "body": """\
Thank you for flagging it so fast. That's the most important thing.

**Do now:**

1. **Report it** on the breach form (or email dataprotection@example.com); how:
   [[ml:report-a-data-breach]]. Don't wait: we have **72 hours** to decide whether it
   needs reporting to the ICO.
2. **Ask the recipient to delete it and confirm in writing.** You've done that, good.
3. Don't send anything else to them to "fix" it.

Names + employee numbers + hours is on the lower end of the risk scale; we'll assess it
properly. You're not in trouble for reporting. Hiding it would be the problem.
""",
                "hours_after": 0.5,
                "comments": [
                    {
                        "author": "olu",
                        "body": (
                            "Reported, and the agency confirmed deletion in writing "
                            "within the hour. Thank you, really appreciated the calm "
                            "reply."
                        ),
                        "hours_after": 2,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "tom",
                "body": """\
To stop it happening again, remove the wrong autocomplete entry: start typing the name
in **To**, hover over the wrong suggestion and click the **X**.

To clear the whole list in classic Outlook:

```text
File > Options > Mail > Send messages > Empty Auto-Complete List
```

We're also switching on the *"This recipient is outside your organisation"* warning for
everyone next month.
""",
                "hours_after": 3,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "maria",
                "body": (
                    "Happened to me last year with a rota. Reporting felt awful but "
                    "Priya's team were lovely about it and it was all sorted in a day."
                ),
                "hours_after": 6,
            },
        ],
        "edits": [
            {
                "author": "olu",
                "summary": "added what I've done and what was in the file",
                "body": """\
Autocomplete picked Daniel Richards at an agency instead of our Daniel Richards in
payroll. Spreadsheet has ~40 staff names and their overtime hours. Sent 10 minutes ago.
Recall didn't work because it's external. Panicking a bit.

**Update:** I've emailed the recipient asking him to delete it and confirm. No reply
yet. The file had names, employee numbers and overtime hours. No bank details or
addresses.
""",
                "hours_after": 0.3,
            },
        ],
    },
    {
        "key": "q-mandatory-training-first-week",
        "microlearn": "mandatory-training-guide",
        "author": "sam",
        "title": "Do I have to finish all the compliance e-learning in my first week?",
        "body": (
            "My onboarding checklist has 6 mandatory modules (GDPR, anti-bribery, H&S, "
            'fire safety, info security, equality) and says "complete within first '
            "week\". That's about 5 hours and I'm also shadowing all week. Is the "
            "first week a hard deadline?"
        ),
        "tags": ["compliance", "onboarding"],
        "days_ago": 4,
        "views": 35,
        "answers": [
            {
                "key": "a1",
                "author": "aisha",
                "body": (
                    "Welcome Sam! The hard requirement is **fire safety and health & "
                    "safety** in the first week. The others are due within **30 "
                    "days**. The checklist wording is out of date, I'll fix it today. "
                    "You can do modules in chunks, progress saves. Deadlines for every "
                    "module:\n\n[[ml:mandatory-training-guide]]"
                ),
                "hours_after": 2,
                "comments": [
                    {
                        "author": "hannah",
                        "body": (
                            "Also: put the time in your calendar as *Training*. Your "
                            "manager should protect it. Let me know if that's a "
                            "problem."
                        ),
                        "hours_after": 4,
                    },
                    {
                        "author": "sam",
                        "body": "Great, thank you! Did fire and H&S this afternoon.",
                        "hours_after": 7,
                    },
                ],
            },
        ],
        "accepted": None,
        "comments": [
            {
                "author": "maria",
                "body": (
                    "Tip: the modules work on your phone, so you can do 10 minutes on "
                    "the bus. That's how I got through mine."
                ),
                "hours_after": 9,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-facilitation-payment-customs",
        "author": "jonas",
        "title": (
            'Customs officer asking for a "speed-up fee" to release a shipment - '
            "is this a facilitation payment?"
        ),
        "body": """\
A container of stock is held at a port abroad. Our local freight forwarder says the
customs officer will release it "today instead of next week" for an extra **$200 in
cash**, not on any official tariff. The forwarder says this is normal there.

It would save us a lot of markdowns if the stock arrives in time for the promotion. How
do I handle this?
""",
        "tags": ["anti-bribery", "compliance"],
        "days_ago": 5,
        "views": 60,
        "answers": [
            {
                "key": "a1",
                "author": "priya",
                "body": """\
Please don't pay it, and don't let the forwarder pay it on our behalf either.

Under the UK Bribery Act **facilitation payments are bribes**. There's no exception for
small amounts or "local custom", and we're liable for what agents do for us.

The difference that matters:

- an **official** expedited-clearance fee: published, paid to the authority, with a
  receipt → fine;
- an **unofficial** cash payment to an individual → not fine.

Next steps:

1. Ask the forwarder **in writing** whether there's an official fast-track procedure.
2. Log the request in the compliance register.
3. I'll call you this afternoon to go through it.

The only exception is duress: if anyone's personal safety is threatened, pay, then
report it immediately.
""",
                "hours_after": 1.5,
                "comments": [
                    {
                        "author": "jonas",
                        "body": (
                            "Thanks Priya. Told the forwarder no and asked for the "
                            "official procedure in writing."
                        ),
                        "hours_after": 5,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "kevin",
                "body": (
                    "We had this two years ago with a supplier shipment. We refused, "
                    "the container arrived 6 days late and we survived. The forwarder "
                    "stopped asking after that."
                ),
                "hours_after": 6,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [],
    },
    # ----------------------------------------------------------------- onboarding
    {
        "key": "q-first-week-finance",
        "author": "sam",
        "title": (
            "Just finished my first day in Finance - what should I focus on in week "
            "one?"
        ),
        "body": (
            "Hi all, Sam here, new Accounts Payable assistant. Day 1 was IT setup and "
            "meeting people. My manager is off until Wednesday. Any tips on what "
            "actually matters in the first week? What did you wish you'd known?"
        ),
        "tags": ["onboarding"],
        "days_ago": 8,
        "views": 95,
        "answers": [
            {
                "key": "a1",
                "author": "hannah",
                "body": """\
Welcome! The first-week checklist is in [[ml:your-first-week]], but the things people
most often miss:

- **Check your details in the HR portal** (bank, address, emergency contact). Payroll
  cut-off is the **15th**.
- **Mandatory training**: fire safety and H&S first.
- **Set up MFA on your phone** now, before you need it. Saves a locked-out morning.
- Book a coffee with your **buddy**.
- Bookmark the *who to ask* page:

[[ml:who-to-ask]]
""",
                "hours_after": 1,
                "comments": [],
            },
            {
                "key": "a2",
                "author": "maria",
                "body": (
                    "Not finance, but: write down names as you meet people, with one "
                    "thing about each person. By week 3 everyone expects you to know "
                    "names 😄 And ask questions here, nobody minds."
                ),
                "hours_after": 3,
                "comments": [],
            },
            {
                "key": "a3",
                "author": "jonas",
                "body": (
                    "From Finance: ask Priti to show you the AP inbox rules, it'll "
                    "save you hours. And month-end is in two weeks: **don't book "
                    "holiday** in the last 3 working days of any month!"
                ),
                "hours_after": 4,
                "comments": [
                    {
                        "author": "sam",
                        "body": "Noted on the month-end thing, thanks Jonas!",
                        "hours_after": 5,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-first-payslip-when",
        "author": "sam",
        "title": "When do I get my first payslip, and where can I see it?",
        "body": (
            "Started on the 3rd. Will I be paid this month or next month? And is the "
            "payslip emailed or somewhere online?"
        ),
        "tags": ["payroll", "onboarding"],
        "days_ago": 6,
        "views": 70,
        "answers": [
            {
                "key": "a1",
                "author": "jonas",
                "body": """\
Payday is the **last working day** of the month. If your details were in the HR portal
before the cut-off (the 15th), you'll be paid this month for the days you've worked.

Payslips are online only: **HR portal → My Pay → Payslips**, available about 3 days
before payday.

Your first one may be on an *emergency tax code* until HMRC sends us your code. It
corrects itself automatically, usually within one or two months.
""",
                "hours_after": 2,
                "comments": [
                    {
                        "author": "sam",
                        "body": (
                            "Emergency tax code, that explains why my friend's first "
                            "payslip looked weird. Thanks!"
                        ),
                        "hours_after": 4,
                    },
                    {
                        "author": "hannah",
                        "body": (
                            "If you can't see the *My Pay* tile yet, log out and back "
                            "in. It appears about 24 hours after your start has been "
                            "processed."
                        ),
                        "hours_after": 5,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-second-monitor-request",
        "author": "sam",
        "title": "Who do I ask for a second monitor and a headset?",
        "body": (
            "My desk in the Finance area only has one screen, everyone else has two. "
            "Is it a manager approval thing or IT?"
        ),
        "tags": ["it-help", "onboarding"],
        "days_ago": 5,
        "views": 40,
        "answers": [
            {
                "key": "a1",
                "author": "tom",
                "body": (
                    "IT, through the self-service portal (*Hardware* → "
                    "*Peripheral request*; how: [[ml:it-self-service]]). "
                    "Standard kit (second monitor, headset, "
                    "keyboard/mouse) doesn't need manager approval and is usually at "
                    "your desk within 3 working days. If there's a spare on the floor, "
                    "the Thursday floor walker can sort it the same day."
                ),
                "hours_after": 1,
                "comments": [
                    {
                        "author": "sam",
                        "body": "Requested, thank you!",
                        "hours_after": 2,
                    },
                ],
            },
        ],
        "accepted": None,
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-holiday-carry-over",
        "microlearn": "annual-leave-policy",
        "author": "maria",
        "title": "Can I carry over unused holiday into the next holiday year?",
        "body": (
            "I've still got 7 days left and the holiday year ends 31 March. With "
            "staffing on Willow I honestly can't take them all. Do I lose them?"
        ),
        "tags": ["benefits"],
        "days_ago": 28,
        "views": 160,
        "answers": [
            {
                "key": "a1",
                "author": "hannah",
                "body": """\
Up to **5 days** carry over automatically. For more than that you need manager approval,
and only if you couldn't take the leave because of business needs (which sounds like
your case). Ask your manager to email HR **before 31 March**.

Different rules apply if you couldn't take leave because of sickness or family leave.
The policy on one page:

[[ml:annual-leave-policy]]
""",
                "hours_after": 3,
                "comments": [],
            },
        ],
        "accepted": None,
        "comments": [
            {
                "author": "aisha",
                "body": (
                    "Maria, please book at least some of it. You've answered half the "
                    "questions on this site, you deserve a break 😉"
                ),
                "hours_after": 5,
            },
            {
                "author": "maria",
                "body": "Ha, fair. Booked 2 days next week.",
                "hours_after": 8,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-overtime-missing-payslip",
        "author": "wojtek",
        "title": "My overtime from last month is not on my payslip",
        "body": (
            "I worked 3 extra shifts in September (approved by my manager), but the "
            "payslip show only normal hours. Where I can check if it was submitted? "
            "Who I contact?"
        ),
        "tags": ["payroll"],
        "days_ago": 20,
        "views": 110,
        "answers": [
            {
                "key": "a1",
                "author": "jonas",
                "body": """\
Overtime must be approved in the timesheet system by your manager **before the 15th**.
If it was approved after that, it's paid the following month, so check your October
payslip.

If it's not there either, raise a payroll query with the dates and your store:

[[ml:payroll-queries]]

We pay corrections in the next payroll, or as an emergency payment if it's more than
£100 and you're struggling without it.
""",
                "hours_after": 2,
                "comments": [
                    {
                        "author": "maria",
                        "body": (
                            "Same happened to me, my manager approved on the 17th. It "
                            "came the month after, all fine."
                        ),
                        "hours_after": 6,
                    },
                    {
                        "author": "wojtek",
                        "body": (
                            "Manager checked, she approved on the 16th. So it comes in "
                            "October. OK, thank you!"
                        ),
                        "hours_after": 20,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-cycle-to-work-ebike",
        "author": "chloe",
        "title": "Is there a cycle to work scheme, and can I use it for an e-bike?",
        "body": (
            "I'm moving closer to Elm House in spring and would like to cycle. Do we "
            "have the scheme? My friend's company has it."
        ),
        "tags": ["benefits"],
        "days_ago": 15,
        "views": 55,
        "answers": [
            {
                "key": "a1",
                "author": "hannah",
                "body": (
                    "Yes! The scheme opens twice a year, in **April** and **October**. "
                    "E-bikes are included up to £2,500, paid through salary sacrifice "
                    "so you save tax and NI. Details:\n\n[[ml:cycle-to-work]]"
                ),
                "hours_after": 4,
                "comments": [
                    {
                        "author": "chloe",
                        "body": "April is perfect for me, thanks Hannah.",
                        "hours_after": 6,
                    },
                    {
                        "author": "maria",
                        "body": (
                            "I got my e-bike through it last year. Saves me about £40 "
                            "a month on petrol, and I arrive at work in a much better "
                            "mood."
                        ),
                        "hours_after": 10,
                    },
                ],
            },
        ],
        "accepted": None,
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-onboarding-buddy-feedback",
        "author": "aisha",
        "title": (
            "New starters: was your onboarding buddy useful? What would you change?"
        ),
        "body": (
            "We're redesigning the buddy part of onboarding. If you started in the "
            "last year, or you've been a buddy, I'd love to hear what worked and what "
            "didn't. Short answers are great!"
        ),
        "tags": ["onboarding"],
        "days_ago": 6,
        "views": 75,
        "answers": [
            {
                "key": "a1",
                "author": "maria",
                "body": """\
I've been a buddy three times.

- Worked best when the buddy was on the **same shift pattern**.
- Worst when the new starter was on nights and I was on days: we never saw each other.
- Buddies need **30 minutes of protected time** in week one, otherwise it doesn't
  happen.
""",
                "hours_after": 2,
                "comments": [],
            },
            {
                "key": "a2",
                "author": "sam",
                "body": (
                    "Only a week in, but: my buddy messaged me the Friday **before** I "
                    "started with parking info and where to go. Made Monday much less "
                    "scary. I'd make that standard."
                ),
                "hours_after": 30,
                "comments": [
                    {
                        "author": "aisha",
                        "body": (
                            "Love the pre-start message idea, adding it. Thanks Sam."
                        ),
                        "hours_after": 32,
                    },
                ],
            },
            {
                "key": "a3",
                "author": "kevin",
                "body": (
                    "In stores: make the buddy a till-trained colleague, **not** a "
                    'manager. People ask "stupid" questions much more easily to a '
                    "peer."
                ),
                "hours_after": 40,
                "comments": [],
            },
        ],
        "accepted": None,
        "comments": [
            {
                "author": "hannah",
                "body": (
                    "Interesting. Would a short checklist for buddies help, do you "
                    "think?"
                ),
                "hours_after": 4,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-lost-id-badge",
        "author": "sam",
        "title": "Lost my ID badge already - who do I tell, and is there a charge?",
        "body": (
            "Think I left it on the train. It also opens the car park barrier. Do I "
            "tell facilities, security or IT? And do I have to pay for a new one?"
        ),
        "tags": ["onboarding"],
        "days_ago": 0.2,
        "views": 6,
        "answers": [],
        "accepted": None,
        "comments": [],
        "edits": [],
    },
    # ---------------------------------------------------------------- IT how-to
    {
        "key": "q-vpn-disconnects-home",
        "microlearn": "vpn-at-home",
        "author": "olu",
        "title": "VPN keeps disconnecting every 10-15 minutes when I work from home",
        "body": (
            "Since last week GlobalProtect drops every 10-15 minutes. Home Wi-Fi is "
            "fine for everything else. Reconnecting works, but it kills my Teams "
            "calls. Windows 11 laptop."
        ),
        "tags": ["vpn", "it-help"],
        "days_ago": 85,
        "views": 540,
        "answers": [
            {
                "key": "a1",
                "author": "tom",
                "body": """\
Thanks for the error message, that helps a lot. Try these in order:

1. **Switch gateway to `gw-uk2`.** GlobalProtect icon → gear → *Settings* → pick
   `gw-uk2` instead of *Best available*. `gw-uk1` had a certificate problem last week
   for some users.
2. **Reset the network stack.** Open *Command Prompt* as administrator and run:

   ```bat
   ipconfig /flushdns
   netsh winsock reset
   netsh int ip reset
   ```

   then restart the laptop.
3. If it still drops, raise a ticket in the self-service portal
   ([[ml:it-self-service]]) and attach the output of:

   ```bat
   ipconfig /all > ipconfig.txt
   ```
""",
                "hours_after": 3,
                "comments": [
                    {
                        "author": "olu",
                        "body": (
                            "Switching to gw-uk2 fixed it. 4 hours without a drop. "
                            "Thanks Tom!"
                        ),
                        "hours_after": 8,
                    },
                    {
                        "author": "tom",
                        "body": (
                            "Great. We've fixed `gw-uk1` now as well, but no harm "
                            "staying on uk2."
                        ),
                        "hours_after": 30,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "jonas",
                "body": (
                    "Had exactly this and for me it was Wi-Fi power saving: *Device "
                    "Manager → Network adapters → your Wi-Fi → Properties → Power "
                    "Management* → untick **Allow the computer to turn off this device "
                    "to save power**."
                ),
                "hours_after": 5,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [
            {
                "author": "olu",
                "summary": "added the error message",
                "body": """\
Since last week GlobalProtect drops every 10-15 minutes. Home Wi-Fi is fine for
everything else. Reconnecting works, but it kills my Teams calls. Windows 11 laptop.

**Edit:** tried a network cable instead of Wi-Fi, same problem. The GlobalProtect window
says:

```text
Gateway gw-uk1: connection timed out
```
""",
                "hours_after": 1,
            },
        ],
    },
    {
        "key": "q-locked-out-after-password-reset",
        "microlearn": "self-service-password-reset",
        "author": "maria",
        "title": (
            "Reset my password and now I'm locked out - Authenticator keeps going "
            "round in circles"
        ),
        "body": (
            "Changed my password yesterday on the care home PC. This morning on my "
            "phone it asks for approval, I approve in Authenticator, but it just goes "
            "round in circles and now says *account locked*. I'm on shift and can't "
            "see the rota or do my e-learning. Help!"
        ),
        "tags": ["passwords", "it-help"],
        "days_ago": 115,
        "views": 490,
        "answers": [
            {
                "key": "a1",
                "author": "tom",
                "body": """\
Locked accounts unlock automatically after **30 minutes**. While you wait:

1. On your phone, **sign out of Outlook and Teams** (or remove the work account). They
   keep trying the *old* password in the background, and that's what locks you out.
2. After 30 minutes, sign in with the new password at
   https://mysignins.microsoft.com first.
3. Then sign back in to Outlook and Teams on your phone.

If it doesn't unlock, ring the Service Desk on ext. **4357** (24/7 for care homes).

For next time, register for self-service reset so you can sort it yourself at 3am:

[[ml:self-service-password-reset]]
""",
                "hours_after": 0.5,
                "comments": [
                    {
                        "author": "maria",
                        "body": (
                            "It was Outlook on my phone still using the old password! "
                            "Removed it, waited, all fine. Thank you."
                        ),
                        "hours_after": 1.5,
                    },
                    {
                        "author": "grace",
                        "body": (
                            "This catches everyone. Tom, could we put this hint on the "
                            "password change page?"
                        ),
                        "hours_after": 4,
                    },
                    {
                        "author": "tom",
                        "body": (
                            "Good idea, it's going on the page with next month's "
                            "update."
                        ),
                        "hours_after": 6,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "lucia",
                "body": "Same happen to me last month. Tom's answer will fix it.",
                "hours_after": 0.8,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-teams-notifications-days-off",
        "author": "fatima",
        "title": "How do I stop Teams notifications on my phone on my days off?",
        "body": (
            "I work part-time (Mon-Wed). Thursday to Sunday my phone keeps pinging "
            "with Teams. I don't want to uninstall it. Is there a *quiet days* "
            "setting?"
        ),
        "tags": ["teams", "it-help"],
        "days_ago": 100,
        "views": 330,
        "answers": [
            {
                "key": "a1",
                "author": "tom",
                "body": """\
Yes, Teams mobile has **Quiet time**:

Teams app → your profile picture → *Notifications* → *Quiet time*

- **Daily quiet hours**: e.g. 18:00 to 08:00
- **Quiet days**: tick Thu, Fri, Sat, Sun

Messages still arrive, you just don't get pinged. Also set your **working hours** in
Outlook (*File → Options → Calendar → Work time*) so people see when you're off.
""",
                "hours_after": 1,
                "comments": [
                    {
                        "author": "fatima",
                        "body": "Found it. Bliss. Thanks Tom.",
                        "hours_after": 2,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "olu",
                "body": (
                    "Also worth setting a status message like *Working Mon-Wed*. It "
                    "shows up when someone starts a chat with you and saves a lot of "
                    '"are you around?" messages.'
                ),
                "hours_after": 3,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "aisha",
                "body": (
                    "Thanks for asking this publicly. Switching off on your days off "
                    "is something we actively want people to do. 👍"
                ),
                "hours_after": 6,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-outlook-shared-mailbox",
        "author": "hannah",
        "title": (
            "How do I add the HR shared mailbox to Outlook on my laptop and phone?"
        ),
        "body": (
            "I've been given access to hr-team@example.com but can't see it anywhere "
            "in Outlook. Access was granted yesterday."
        ),
        "tags": ["outlook", "it-help"],
        "days_ago": 160,
        "views": 410,
        "answers": [
            {
                "key": "a1",
                "author": "tom",
                "body": """\
Permissions can take a few hours to come through, but after a day you should be fine.

**New Outlook (desktop):** right-click *Folders* → *Add shared folder or mailbox* → type
`hr-team@example.com`.

**Classic Outlook:** it normally appears by itself after a restart. If not: *File →
Account Settings → Account Settings → Change → More Settings → Advanced → Add*.

**Phone (Outlook app):** *Settings → Add account → Add shared mailbox*.

**Web:** https://outlook.office.com → your picture → *Open another mailbox*.

To send *as* the shared mailbox, click **From** in a new message and pick it.
""",
                "hours_after": 1,
                "comments": [
                    {
                        "author": "olu",
                        "body": (
                            "If it doesn't appear after a restart, make sure Outlook "
                            "is *really* closed (check the system tray) before "
                            "starting it again. Got me twice."
                        ),
                        "hours_after": 2,
                    },
                    {
                        "author": "hannah",
                        "body": (
                            "Classic Outlook. Restarted after lunch and it was there. "
                            "Thanks!"
                        ),
                        "hours_after": 4,
                    },
                ],
            },
        ],
        "accepted": "a1",
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-excel-vlookup-na",
        "author": "jonas",
        "title": "VLOOKUP returns #N/A even though the value is clearly in the list",
        "body": """\
Matching supplier codes from an export to our master list:

`=VLOOKUP(A2, Suppliers!A:C, 3, FALSE)`

About a third return `#N/A`, but when I Ctrl+F the code it's definitely there. What am I
missing?
""",
        "tags": ["excel"],
        "days_ago": 130,
        "views": 620,
        "answers": [
            {
                "key": "a1",
                "author": "olu",
                "body": """\
Classic! It's almost always one of these:

1. **Trailing spaces** in the export (`"SUP00123 "`).
2. **Numbers stored as text** on one side and real numbers on the other (not your case
   with SUP codes, but worth knowing).
3. **Non-breaking spaces** (`CHAR(160)`) from CSV or web exports. `TRIM` does *not*
   remove those!

Check with `=LEN(A2)`: if `SUP00123` gives more than 8, there are hidden characters.

Fix it in one formula with XLOOKUP (no column counting, and you choose the "not found"
text):

```excel
=XLOOKUP(TRIM(SUBSTITUTE(A2, CHAR(160), "")), Suppliers!A:A, Suppliers!C:C, "Not found")
```

On an older Excel without XLOOKUP:

```excel
=IFERROR(VLOOKUP(TRIM(SUBSTITUTE(A2,CHAR(160),"")),Suppliers!A:C,3,FALSE),"Not found")
```
""",
                "hours_after": 1,
                "comments": [
                    {
                        "author": "jonas",
                        "body": "It was CHAR(160). `LEN` said 9. You legend.",
                        "hours_after": 1.5,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "tom",
                "body": (
                    "If you do this every week, import the CSV with **Power Query** "
                    "and add a *Trim* and *Clean* step once. After that it's just "
                    "*Data → Refresh All*."
                ),
                "hours_after": 4,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "maria",
                "body": (
                    "Bookmarking this. The rota export from our care system has the "
                    "same problem with staff names!"
                ),
                "hours_after": 20,
            },
        ],
        "edits": [
            {
                "author": "jonas",
                "summary": "added where the data comes from",
                "body": """\
Matching supplier codes from an export to our master list:

`=VLOOKUP(A2, Suppliers!A:C, 3, FALSE)`

About a third return `#N/A`, but when I Ctrl+F the code it's definitely there. What am I
missing?

**Edit:** the export comes from the purchasing system as a CSV. Codes look like
`SUP00123`. Excel is Microsoft 365.
""",
                "hours_after": 0.5,
            },
        ],
    },
    {
        "key": "q-excel-night-shift-hours",
        "author": "maria",
        "title": (
            "Excel formula to calculate shift hours when the shift goes past midnight?"
        ),
        "body": """\
Doing the night rota in Excel. Start time in column B, end time in column C.

`=C2-B2` works for day shifts, but a night shift 20:00 to 08:00 just shows `#######`.

I also need to take off a 30 min unpaid break if the shift is over 6 hours. Thanks in
advance!!
""",
        "tags": ["excel", "aged-care"],
        "days_ago": 190,
        "views": 480,
        "answers": [
            {
                "key": "a1",
                "author": "olu",
                "body": """\
Use `MOD` so times that wrap past midnight work:

```excel
=MOD(C2-B2, 1)
```

That gives a time; format the cell as `[h]:mm`.

For decimal hours with the break taken off:

```excel
=LET(hrs, MOD(C2-B2, 1) * 24, IF(hrs > 6, hrs - 0.5, hrs))
```

20:00 → 08:00 gives **11.5**. If you keep totals as times rather than decimals, format
the total cell as `[h]:mm` too, otherwise it resets to zero after 24 hours.
""",
                "hours_after": 2,
                "comments": [
                    {
                        "author": "maria",
                        "body": (
                            "Works perfectly, and the `[h]:mm` tip fixed my weekly "
                            "totals too. Thank you!!"
                        ),
                        "hours_after": 5,
                    },
                ],
            },
            {
                "key": "a2",
                "author": "tom",
                "body": """\
`LET` needs Microsoft 365. All care home PCs have it now, but if someone opens the rota
in Excel 2016:

```excel
=IF(MOD(C2-B2,1)*24>6, MOD(C2-B2,1)*24-0.5, MOD(C2-B2,1)*24)
```
""",
                "hours_after": 6,
                "comments": [],
            },
        ],
        "accepted": "a1",
        "comments": [
            {
                "author": "grace",
                "body": (
                    "Maria, please share the finished sheet with the other units when "
                    "it's done!"
                ),
                "hours_after": 10,
            },
        ],
        "edits": [],
    },
    {
        "key": "q-outlook-calendar-titles",
        "author": "priya",
        "title": (
            "Colleagues only see 'Busy' in my Outlook calendar - how do I share "
            "meeting titles?"
        ),
        "body": (
            "My team can only see blocks of *Busy* in my calendar. I'd like them to "
            "see titles and locations (but not my private appointments). How do I "
            "change this?"
        ),
        "tags": ["outlook"],
        "days_ago": 9,
        "views": 48,
        "answers": [
            {
                "key": "a1",
                "author": "tom",
                "body": """\
Right-click your calendar → **Sharing and permissions** (new Outlook) or **Properties →
Permissions** (classic). For *People in my organisation* choose **Can view titles and
locations**.

Anything sensitive: mark it **Private** (the padlock) and it stays hidden. It can take a
few minutes to sync.
""",
                "hours_after": 2,
                "comments": [
                    {
                        "author": "priya",
                        "body": (
                            "Done, thanks. In new Outlook it's under *My "
                            "organisation*, took me a minute to find."
                        ),
                        "hours_after": 6,
                    },
                ],
            },
        ],
        "accepted": None,
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-teams-external-guest",
        "author": "fatima",
        "title": (
            "Can an external contractor join a Teams meeting without a Microsoft "
            "account?"
        ),
        "body": (
            "Our fire risk assessor (external company) needs to join the review next "
            "week. Do they need a Teams licence, or can they join from a browser?"
        ),
        "tags": ["teams"],
        "days_ago": 1.5,
        "views": 22,
        "answers": [],
        "accepted": None,
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-vpn-hotel-wifi",
        "author": "kevin",
        "title": "VPN won't connect on hotel Wi-Fi at the conference - any workaround?",
        "body": (
            "At the retail conference in Birmingham. Hotel Wi-Fi has a login page; "
            "I've logged in and can browse fine, but GlobalProtect just says "
            "*Connecting...* forever. I need the stock system for a meeting in an "
            "hour!"
        ),
        "tags": ["vpn", "it-help"],
        "days_ago": 0.1,
        "views": 5,
        "answers": [],
        "accepted": None,
        "comments": [],
        "edits": [],
    },
    {
        "key": "q-excel-pivot-new-rows",
        "author": "hannah",
        "title": (
            "Pivot table doesn't pick up new rows when I refresh - do I have to change "
            "the source?"
        ),
        "body": """\
I keep a weekly absence sheet. Each week I paste the new rows at the bottom and click
**Refresh All**, but the pivot still shows last week's data.

Changing the data source range by hand every week is a pain. Is there a better way?
""",
        "tags": ["excel"],
        "days_ago": 2.2,
        "views": 31,
        "answers": [],
        "accepted": None,
        "comments": [],
        "edits": [],
    },
]


# ---------------------------------------------------------------- microlearns

# The demo catalogue. Content is served by the app itself (forum/demo/content.py
# writes a page or a one-page PDF per item under static/demo/learn/), so every
# link leads somewhere. ``added_days_ago`` counts back from seeding; an item is
# added before any question about it and any post citing it with [[ml:KEY]].
MICROLEARNS: list[dict[str, Any]] = [
    {
        "key": "slide-sheets-repositioning",
        "title": "Safe repositioning with slide sheets",
        "objective": (
            "Reposition a resident in bed with two carers and slide sheets, "
            "without lifting or dragging."
        ),
        "format": "video",
        "duration_minutes": 3,
        "tags": ["manual-handling", "aged-care"],
        "audience": "Care workers and senior carers",
        "source": "Grace Mensah, clinical lead",
        "version": "2",
        "added_days_ago": 320,
        "points": [
            "Check the moving and handling plan first: it says how many carers.",
            "Two carers, one on each side; the bed at the height of the shorter one.",
            "Slide, never lift: the sheet takes the friction, not your back.",
            "Take the sheets away afterwards; left in place they make a fall likely.",
        ],
    },
    {
        "key": "hoist-sling-checks",
        "title": "Hoist and sling checks before every use",
        "objective": (
            "Check a hoist and sling for the right size, a readable label and "
            "damage before you use them."
        ),
        "format": "pdf",
        "duration_minutes": 2,
        "tags": ["manual-handling", "health-and-safety"],
        "audience": "Anyone who uses a hoist",
        "source": "Health & safety team",
        "version": "2024-01-15",
        "added_days_ago": 300,
        "points": [
            "Size: the sling named in the resident's plan, nothing else.",
            "Label: readable, with a LOLER inspection in the last 6 months.",
            "Damage: fraying, torn stitching or worn loops mean do not use.",
            "No label? Bag it, mark it do not use and log it on the register.",
        ],
    },
    {
        "key": "medication-refusals",
        "title": "When a resident refuses medication",
        "objective": (
            "Record a refusal on the MAR chart correctly and know when to tell "
            "the nurse in charge or the GP."
        ),
        "format": "pdf",
        "duration_minutes": 4,
        "tags": ["medication", "aged-care"],
        "audience": "Staff who give medication",
        "source": "Medication policy, clinical team",
        "version": "3",
        "added_days_ago": 330,
        "points": [
            "Offer again later; a refusal is the person's right.",
            "Record code R on the MAR chart and write what happened on the back.",
            "Tell the nurse in charge the same shift; critical medicines at once.",
            "Three days in a row, or any critical medicine: the GP reviews.",
            "Never hide tablets in food: that is covert medication.",
        ],
    },
    {
        "key": "covert-medication-law",
        "title": "Covert medication: what the law says",
        "objective": (
            "Explain when medicine may be given covertly and which assessment, "
            "agreement and records it needs."
        ),
        "format": "video",
        "duration_minutes": 5,
        "tags": ["medication", "dementia"],
        "audience": "Nurses, senior carers and team leaders",
        "source": "Clinical team with our pharmacist",
        "version": "1",
        "added_days_ago": 360,
        "points": [
            "Only for a person who lacks capacity to decide about the medicine.",
            "A best-interests decision with the GP, pharmacist and family.",
            "The pharmacist says how each medicine may be given (crushed, in food).",
            "Written plan in the care record, reviewed at least monthly.",
        ],
    },
    {
        "key": "dementia-going-home",
        "title": "Responding to “I want to go home”",
        "objective": (
            "Respond to a resident with dementia who wants to go home with "
            "validation instead of correction."
        ),
        "format": "video",
        "duration_minutes": 3,
        "tags": ["dementia", "aged-care"],
        "audience": "Everyone who works in our homes, reception too",
        "source": "Dementia Champions, Elm House",
        "version": "1",
        "added_days_ago": 200,
        "points": [
            "Home often means safety and the people they love, not an address.",
            "Do not argue or remind them that home is gone: it is news every time.",
            "Ask about home, listen, and name the feeling you hear.",
            "Offer something to do together: a walk, a cup of tea, a photo album.",
        ],
    },
    {
        "key": "ipc-outbreak-pack",
        "title": "Outbreak pack: the first 24 hours",
        "objective": (
            "Take the first steps in a suspected outbreak: isolate, inform, put up "
            "the signs and keep a visitor list."
        ),
        "format": "pdf",
        "duration_minutes": 6,
        "tags": ["infection-control", "aged-care"],
        "audience": "Nurses in charge and unit leads",
        "source": "Infection prevention team",
        "version": "2024-02-01",
        "added_days_ago": 310,
        "points": [
            "Two or more residents with the same symptoms in 48 hours: suspect it.",
            "Tell the nurse in charge and the IPC link nurse straight away.",
            "Isolate, use the signs and the visitor letter from the pack.",
            "Soap and water for norovirus: alcohol gel does not kill it.",
        ],
    },
    {
        "key": "ppe-audit-quiz",
        "title": "PPE quiz: aprons, gloves and when to change them",
        "objective": (
            "Choose the right PPE for a care task and change it between every "
            "resident and every task."
        ),
        "format": "quiz",
        "duration_minutes": 5,
        "tags": ["infection-control"],
        "audience": "Care workers",
        "source": "IPC audit, section 4",
        "version": "1",
        "added_days_ago": 280,
        "points": [
            "Apron and gloves: one set per resident and per task.",
            "Gloves off, then hands cleaned, before you touch anything else.",
            "Blue aprons for food, white for personal care.",
            "Ten questions; you see the right answer and why after each one.",
        ],
    },
    {
        "key": "refunds-policy",
        "title": "Refunds and exchanges at a glance",
        "objective": (
            "Decide which refund or exchange a customer can have, with or without "
            "a receipt."
        ),
        "format": "pdf",
        "duration_minutes": 3,
        "tags": ["refunds", "retail"],
        "audience": "Store colleagues and supervisors",
        "source": "Retail operations",
        "version": "2",
        "added_days_ago": 320,
        "points": [
            "With a receipt: refund to the original payment within 30 days.",
            "Paid by card, no receipt: find the sale by card lookup (90 days).",
            "No proof of purchase: exchange or gift card at the lowest price.",
            "Over £100 without proof: a supervisor decides.",
        ],
    },
    {
        "key": "card-lookup-refunds",
        "title": "Card lookup refunds on the till",
        "objective": "Find a card sale on the till and refund it to the same card.",
        "format": "video",
        "duration_minutes": 2,
        "tags": ["till", "refunds"],
        "audience": "Anyone who works on a till",
        "source": "Riverside store team",
        "version": "1",
        "added_days_ago": 140,
        "points": [
            "Refunds, then Find sale, then Card lookup.",
            "The last four digits of the card and a date range.",
            "Pick the sale, choose the items, refund to the same card.",
            "Works for sales in the last 90 days.",
        ],
    },
    {
        "key": "upset-customer-60-seconds",
        "title": "Calming an upset customer in 60 seconds",
        "objective": (
            "Calm an upset customer in the first minute with acknowledge, "
            "apologise, act."
        ),
        "format": "podcast",
        "duration_minutes": 4,
        "tags": ["customer-service", "retail"],
        "audience": "Store and reception colleagues",
        "source": "Customer experience team",
        "version": "1",
        "added_days_ago": 250,
        "points": [
            "Acknowledge: say what you see and hear before anything else.",
            "Apologise for the experience, even when it is not your fault.",
            "Act: say what you will do now, and do it.",
            "You never have to accept abuse: call a supervisor and step back.",
        ],
    },
    {
        "key": "whatsapp-at-work",
        "title": "WhatsApp at work: what's OK",
        "objective": (
            "Tell which work messages may go in a WhatsApp group and which belong "
            "in Teams or nowhere."
        ),
        "format": "article",
        "duration_minutes": 3,
        "tags": ["gdpr", "teams"],
        "audience": "Everyone",
        "source": "Priya Nair, Data Protection Officer",
        "version": "1",
        "added_days_ago": 238,
        "points": [
            "A voluntary group for shift swaps between colleagues: low risk.",
            "Nothing about residents or customers, not even first names.",
            "No screenshots of rotas: they can show health information.",
            "Official messages go through Teams, never only WhatsApp.",
        ],
    },
    {
        "key": "teams-shift-swaps",
        "title": "Swapping shifts in Teams Shifts",
        "objective": (
            "Request, accept and approve a shift swap in the Shifts app in Teams."
        ),
        "format": "video",
        "duration_minutes": 3,
        "tags": ["teams"],
        "audience": "Care home and store colleagues with a rota",
        "source": "IT Service Desk",
        "version": "2",
        "added_days_ago": 250,
        "points": [
            "Open Shifts in Teams and choose the shift you want to swap.",
            "Pick a colleague and one of their shifts, add a note.",
            "Your colleague accepts, then your manager approves.",
            "The rota updates for everyone; no screenshots needed.",
        ],
    },
    {
        "key": "subject-access-requests",
        "title": "Subject access requests in stores",
        "objective": (
            "Recognise a subject access request and pass it to the Data Protection "
            "Officer the same day."
        ),
        "format": "pdf",
        "duration_minutes": 4,
        "tags": ["gdpr", "retail"],
        "audience": "Store managers and supervisors",
        "source": "Data protection team",
        "version": "2",
        "added_days_ago": 200,
        "points": [
            "Any request for someone's own data is one, in any words or form.",
            "Forward it today to the data protection team; do not reply yourself.",
            "CCTV is overwritten after 30 days: say if a date was mentioned.",
            "We have one month to answer, and there is no fee.",
        ],
    },
    {
        "key": "report-a-data-breach",
        "title": "Reporting a data breach in the first hour",
        "objective": (
            "Report a possible data breach at once, with what happened, what data "
            "and who received it."
        ),
        "format": "interactive",
        "duration_minutes": 5,
        "tags": ["gdpr", "compliance"],
        "audience": "Everyone",
        "source": "Data protection team",
        "version": "1",
        "added_days_ago": 290,
        "points": [
            "Report first, investigate later: we have 72 hours to tell the ICO.",
            "Say what happened, what data, about whom, and who received it.",
            "Ask the recipient to delete it and to confirm in writing.",
            "Do not send anything more to fix it.",
        ],
    },
    {
        "key": "gifts-and-hospitality",
        "title": "Gifts and hospitality: the register in two minutes",
        "objective": (
            "Log a gift or hospitality you were offered, accepted or declined in "
            "the register."
        ),
        "format": "interactive",
        "duration_minutes": 2,
        "tags": ["anti-bribery", "compliance"],
        "audience": "Everyone",
        "source": "Compliance team",
        "version": "1",
        "added_days_ago": 280,
        "points": [
            "Log anything offered, accepted or declined, from £0.",
            "Over £50: your manager approves before you accept.",
            "During a tender or range review: decline, and log that too.",
            "Care homes: cash from families goes to the residents' fund.",
        ],
    },
    {
        "key": "report-an-incident",
        "title": "Reporting an incident or near miss",
        "objective": (
            "Log an incident or near miss on the incident system from your phone, "
            "the same shift."
        ),
        "format": "interactive",
        "duration_minutes": 4,
        "tags": ["health-and-safety"],
        "audience": "Everyone",
        "source": "Fatima Yusuf, health & safety adviser",
        "version": "1",
        "added_days_ago": 300,
        "points": [
            "Near misses count: they show where the next injury will happen.",
            "Pick the category, say where and when, add a photo if you can.",
            "Threats and violence: category Violence & aggression.",
            "About three minutes on your phone; your manager is told at once.",
        ],
    },
    {
        "key": "mandatory-training-guide",
        "title": "Your mandatory training: what is due when",
        "objective": (
            "Plan your mandatory e-learning: what is due in your first week and "
            "what within 30 days."
        ),
        "format": "article",
        "duration_minutes": 3,
        "tags": ["onboarding", "compliance"],
        "audience": "New starters and their managers",
        "source": "Learning & Development",
        "version": "2",
        "added_days_ago": 120,
        "points": [
            "First week: fire safety, and health and safety.",
            "Within 30 days: data protection, anti-bribery, equality.",
            "Do modules in chunks: your progress is saved.",
            "Your manager sees what is overdue; nobody else does.",
        ],
    },
    {
        "key": "your-first-week",
        "title": "Your first week: the checklist",
        "objective": (
            "Work through the first-week checklist and know who signs off each step."
        ),
        "format": "article",
        "duration_minutes": 5,
        "tags": ["onboarding"],
        "audience": "New starters",
        "source": "HR",
        "version": "2024-03-01",
        "added_days_ago": 360,
        "points": [
            "Check your bank and contact details in the HR portal.",
            "Fire safety and health and safety training first.",
            "Set up MFA on your phone before you need it.",
            "Meet your buddy; your manager signs off the checklist on day five.",
        ],
    },
    {
        "key": "who-to-ask",
        "title": "Who to ask: HR, IT, payroll and facilities",
        "objective": "Find the right team for a question the first time you ask.",
        "format": "article",
        "duration_minutes": 2,
        "tags": ["onboarding", "it-help"],
        "audience": "Everyone, new starters most",
        "source": "HR and IT Service Desk",
        "version": "1",
        "added_days_ago": 360,
        "points": [
            "Pay, payslips and tax: payroll, through a payroll query.",
            "Contracts, leave and benefits: HR.",
            "Laptops, accounts and access: IT, through the self-service portal.",
            "Badges, keys and building: facilities at your site.",
        ],
    },
    {
        "key": "it-self-service",
        "title": "Raising an IT request in the self-service portal",
        "objective": (
            "Raise an IT request for hardware, software or access and follow its "
            "progress."
        ),
        "format": "video",
        "duration_minutes": 3,
        "tags": ["it-help"],
        "audience": "Everyone",
        "source": "IT Service Desk",
        "version": "1",
        "added_days_ago": 380,
        "points": [
            "Choose the category: Hardware, Software, Access or Something broke.",
            "Standard kit needs no manager approval.",
            "Attach screenshots or logs; the ticket number comes by email.",
            "Urgent or a care home at night: ring ext. 4357.",
        ],
    },
    {
        "key": "self-service-password-reset",
        "title": "Register for self-service password reset",
        "objective": (
            "Register your phone for self-service password reset before you need it."
        ),
        "format": "video",
        "duration_minutes": 2,
        "tags": ["passwords"],
        "audience": "Everyone",
        "source": "IT Service Desk",
        "version": "1",
        "added_days_ago": 370,
        "points": [
            "Register once, on a computer, with your phone at hand.",
            "Add your mobile number and the authenticator app.",
            "Forgot your password? Reset it yourself, even at 3am.",
            "Then sign out of Outlook and Teams on your phone and back in.",
        ],
    },
    {
        "key": "annual-leave-policy",
        "title": "Annual leave: booking and carrying over",
        "objective": (
            "Book your leave and know when up to five days can be carried over "
            "into the next year."
        ),
        "format": "pdf",
        "duration_minutes": 4,
        "tags": ["benefits"],
        "audience": "Everyone",
        "source": "HR",
        "version": "2024",
        "added_days_ago": 340,
        "points": [
            "The holiday year runs from April to March.",
            "Up to 5 days carry over automatically.",
            "More only with manager approval, asked for before 31 March.",
            "Sickness and family leave have their own rules.",
        ],
    },
    {
        "key": "payroll-queries",
        "title": "Raising a payroll query",
        "objective": (
            "Raise a payroll query with the details payroll needs to fix it in the "
            "next run."
        ),
        "format": "article",
        "duration_minutes": 2,
        "tags": ["payroll"],
        "audience": "Everyone",
        "source": "Payroll team",
        "version": "1",
        "added_days_ago": 330,
        "points": [
            "Check the next payslip first: late approvals are paid a month later.",
            "Give the dates, your site and what you expected to be paid.",
            "Corrections come in the next payroll.",
            "Over £100 and struggling: ask for an emergency payment.",
        ],
    },
    {
        "key": "cycle-to-work",
        "title": "Cycle to work scheme, e-bikes included",
        "objective": (
            "Apply for a bike or e-bike through salary sacrifice in the April or "
            "October window."
        ),
        "format": "pdf",
        "duration_minutes": 3,
        "tags": ["benefits"],
        "audience": "Everyone on a permanent contract",
        "source": "HR benefits",
        "version": "1",
        "added_days_ago": 200,
        "points": [
            "The scheme opens in April and October.",
            "Bikes and e-bikes up to £2,500, with accessories.",
            "Paid through salary sacrifice over 12 months: you save tax and NI.",
            "Leaving early? The rest is taken from your last pay.",
        ],
    },
    {
        "key": "vpn-at-home",
        "title": "GlobalProtect VPN: fixing drop-outs at home",
        "objective": (
            "Fix the usual causes of VPN drop-outs at home before you call the "
            "Service Desk."
        ),
        "format": "video",
        "duration_minutes": 4,
        "tags": ["vpn", "it-help"],
        "audience": "Anyone who works from home",
        "source": "IT Service Desk",
        "version": "5.2",
        "added_days_ago": 150,
        "points": [
            "Use the cable or 5 GHz Wi-Fi; turn off the laptop's power saving.",
            "Reset the network stack and restart.",
            "Still dropping? Raise a ticket with the ipconfig output attached.",
        ],
    },
    {
        "key": "outlook-shared-mailboxes",
        "title": "Desk card: Outlook shared mailboxes",
        "objective": (
            "Open a shared mailbox in Outlook on the desktop, on the web and on "
            "your phone."
        ),
        "format": "other",
        "duration_minutes": 2,
        "tags": ["outlook"],
        "audience": "Anyone in a team with a shared inbox",
        "source": "IT Service Desk",
        "version": "1",
        "added_days_ago": 200,
        "points": [
            "Desktop: it appears by itself a few hours after you get access.",
            "Web: your picture, then Open another mailbox.",
            "Phone: add it in Outlook's settings, under Shared mailboxes.",
            "Send as the team: choose the mailbox in From.",
        ],
    },
]

# Members' ratings: (member, stars[, accuracy[, review]]) per microlearn.
RATINGS: dict[str, list[tuple]] = {
    "slide-sheets-repositioning": [
        ("maria", 5, "accurate", "Short, and the camera angle shows the hands."),
        ("lucia", 5),
        ("chloe", 4),
        ("rosa", 5, "accurate"),
    ],
    "hoist-sling-checks": [("lucia", 5, "accurate"), ("maria", 4), ("fatima", 5)],
    "medication-refusals": [
        ("maria", 5, "accurate", "Exactly what I needed on my first night shift."),
        ("lucia", 4),
        ("grace", 5, "accurate"),
    ],
    "covert-medication-law": [("maria", 4), ("lucia", 5), ("grace", 5)],
    "dementia-going-home": [
        ("chloe", 5, None, "I use the photo album idea at reception every week."),
        ("lucia", 5),
        ("maria", 4),
        ("rosa", 5),
        ("callum", 4),
    ],
    "ipc-outbreak-pack": [("maria", 4), ("grace", 5, "accurate")],
    "ppe-audit-quiz": [("lucia", 4), ("chloe", 3), ("rosa", 4)],
    "refunds-policy": [
        ("ben", 4),
        ("wojtek", 5, None, "Finally one page I can keep by the till."),
        ("kevin", 5, "accurate"),
    ],
    "card-lookup-refunds": [("ben", 5), ("wojtek", 5), ("kevin", 4)],
    "upset-customer-60-seconds": [
        ("wojtek", 5, None, "The Polish subtitles helped a lot, thank you."),
        ("ben", 4),
        ("chloe", 4),
    ],
    "whatsapp-at-work": [
        ("maria", 4),
        ("lucia", 3, "outdated", "It still says Shifts can't do swaps. It can now."),
        ("tom", 4, "outdated"),
    ],
    "teams-shift-swaps": [("maria", 5), ("lucia", 4)],
    "subject-access-requests": [("kevin", 4, "accurate")],
    "report-a-data-breach": [("jonas", 4), ("olu", 5)],
    "gifts-and-hospitality": [("kevin", 4), ("maria", 5), ("jonas", 4)],
    "report-an-incident": [("kevin", 5), ("chloe", 4), ("ben", 4)],
    "mandatory-training-guide": [("sam", 5, None, "Cleared up my first week.")],
    "your-first-week": [("sam", 5), ("callum", 4)],
    "who-to-ask": [("sam", 4), ("rosa", 5)],
    "it-self-service": [("jonas", 4), ("olu", 4), ("sam", 5)],
    "self-service-password-reset": [("maria", 5), ("jonas", 4)],
    "annual-leave-policy": [("olu", 4)],
    "payroll-queries": [("ben", 3), ("wojtek", 4)],
    "cycle-to-work": [("olu", 5, None, "Ordered the e-bike in October. Worth it.")],
    "vpn-at-home": [("olu", 4), ("jonas", 5, "accurate")],
    "outlook-shared-mailboxes": [("jonas", 4)],
}

# Public playlists of demo members: items are microlearn keys or question keys.
PLAYLISTS: list[dict[str, Any]] = [
    {
        "owner": "grace",
        "title": "Moving and handling essentials",
        "description": "What every new carer should see in their first month.",
        "featured": False,
        "items": [
            ("slide-sheets-repositioning", "Start here."),
            ("hoist-sling-checks", "Before every hoist transfer."),
            ("q-slide-sheet-one-carer", "The question everyone asks."),
            ("report-an-incident", ""),
        ],
    },
    {
        "owner": "kevin",
        "title": "Till basics",
        "description": "Refunds, card lookups and calm at the till.",
        "featured": False,
        "items": [
            ("card-lookup-refunds", ""),
            ("refunds-policy", "Keep it by the till."),
            ("q-refund-no-receipt", ""),
            ("upset-customer-60-seconds", "For the Saturday queue."),
            ("q-till-short-cashing-up", "It happens to everyone."),
        ],
    },
    {
        "owner": "hannah",
        "title": "Your first month",
        "description": "For new starters in every part of the company.",
        "featured": True,
        "items": [
            ("your-first-week", ""),
            ("who-to-ask", ""),
            ("mandatory-training-guide", "Fire safety in week one."),
            ("self-service-password-reset", "Do this before you need it."),
            ("q-first-payslip-when", ""),
        ],
    },
]

# New versions curators published after the questions came in: the accepted and
# top answers about them wait on the content health list.
NEW_VERSIONS: list[dict[str, Any]] = [
    {"microlearn": "refunds-policy", "version": "3", "days_ago": 6},
    {"microlearn": "self-service-password-reset", "version": "2", "days_ago": 3},
]

# ---------------------------------------------------------------- self-check

_ROLES = {"member", "moderator", "admin"}
_TAG_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789+#.-")
_TOPIC_AREAS = {
    "aged care": {
        "aged-care",
        "manual-handling",
        "medication",
        "dementia",
        "infection-control",
    },
    "retail": {"retail", "customer-service", "refunds", "till"},
    "compliance": {"compliance", "gdpr", "anti-bribery", "health-and-safety"},
    "onboarding": {"onboarding", "payroll", "benefits"},
    "it": {"it-help", "vpn", "passwords", "teams", "outlook", "excel"},
}


def _check_comment(
    problems: list[str], where: str, c: dict[str, Any], users: dict, limit_h: float
) -> None:
    body = c.get("body", "")
    if c.get("author") not in users:
        problems.append(f"{where}: unknown author {c.get('author')!r}")
    if not 15 <= len(body) <= 600:
        problems.append(f"{where}: comment length {len(body)} not in 15..600")
    if "\n" in body or "```" in body:
        problems.append(f"{where}: comment must be inline markdown only")
    h = c.get("hours_after", 0)
    if not 0 < h < limit_h:
        problems.append(f"{where}: hours_after {h} not in (0, {limit_h})")


def _check_joined(
    problems: list[str], where: str, author: str, hours_ago: float, users: dict
) -> None:
    user = users.get(author)
    if user is not None and user["joined_days_ago"] * 24 < hours_ago:
        problems.append(f"{where}: {author} posts before joining")


def validate() -> list[str]:
    """Return human-readable problems with the demo data (empty list when valid)."""
    problems: list[str] = []

    # Users
    users = {u["key"]: u for u in USERS}
    if len(users) != len(USERS):
        problems.append("duplicate user keys")
    if len(USERS) < 14:
        problems.append(f"only {len(USERS)} users, need at least 14")
    emails = [u["email"] for u in USERS]
    if len(set(emails)) != len(emails):
        problems.append("duplicate user emails")
    for u in USERS:
        where = f"user {u.get('key')!r}"
        for field in (
            "key",
            "display_name",
            "email",
            "role",
            "about",
            "joined_days_ago",
        ):
            if field not in u:
                problems.append(f"{where}: missing {field}")
        if not u["email"].endswith("@example.com"):
            problems.append(f"{where}: email not @example.com")
        if u["role"] not in _ROLES:
            problems.append(f"{where}: bad role {u['role']!r}")
        if not 1 <= u["joined_days_ago"] <= 400:
            problems.append(f"{where}: joined_days_ago out of 1..400")
    roles = [u["role"] for u in USERS]
    if roles.count("admin") != 1:
        problems.append(f"{roles.count('admin')} admins, need exactly 1")
    if roles.count("moderator") != 2:
        problems.append(f"{roles.count('moderator')} moderators, need exactly 2")

    # Tags
    tag_names = [t["name"] for t in TAGS]
    if len(set(tag_names)) != len(tag_names):
        problems.append("duplicate tag names")
    if not 18 <= len(TAGS) <= 25:
        problems.append(f"{len(TAGS)} tags, need 18..25")
    for t in TAGS:
        name = t["name"]
        if not name or len(name) > 35 or not set(name) <= _TAG_CHARS:
            problems.append(f"tag {name!r}: invalid name")
        if not t.get("excerpt"):
            problems.append(f"tag {name!r}: missing excerpt")
        if not isinstance(t.get("wiki"), str):
            problems.append(f"tag {name!r}: wiki must be a string")
    tags = set(tag_names)

    # Questions
    qkeys = [q["key"] for q in QUESTIONS]
    if len(set(qkeys)) != len(qkeys):
        problems.append("duplicate question keys")
    if len(QUESTIONS) < 40:
        problems.append(f"only {len(QUESTIONS)} questions, need at least 40")
    active: set[str] = set()
    n_accepted = n_open = n_unanswered = n_comments = n_edits = 0
    for q in QUESTIONS:
        where = f"question {q['key']!r}"
        asker = q["author"]
        active.add(asker)
        if asker not in users:
            problems.append(f"{where}: unknown author {asker!r}")
        if not 15 <= len(q["title"]) <= 150:
            problems.append(f"{where}: title length {len(q['title'])} not in 15..150")
        if not 30 <= len(q["body"]) <= 3000:
            problems.append(f"{where}: body length {len(q['body'])} not in 30..3000")
        qtags = q["tags"]
        if not 1 <= len(qtags) <= 5 or len(set(qtags)) != len(qtags):
            problems.append(f"{where}: needs 1..5 distinct tags")
        for tag in qtags:
            if tag not in tags:
                problems.append(f"{where}: unknown tag {tag!r}")
        if not 0.05 <= q["days_ago"] <= 300:
            problems.append(f"{where}: days_ago out of 0.05..300")
        if not 3 <= q["views"] <= 900:
            problems.append(f"{where}: views out of 3..900")
        limit_h = q["days_ago"] * 24
        _check_joined(problems, where, asker, limit_h, users)

        answers = q["answers"]
        if len(answers) > 6:
            problems.append(f"{where}: more than 6 answers")
        akeys = [a["key"] for a in answers]
        if len(set(akeys)) != len(akeys):
            problems.append(f"{where}: duplicate answer keys")
        for a in answers:
            aw = f"{where} answer {a['key']!r}"
            active.add(a["author"])
            if a["author"] not in users:
                problems.append(f"{aw}: unknown author {a['author']!r}")
            if a["author"] == asker:
                problems.append(f"{aw}: answered by the asker")
            if not 30 <= len(a["body"]) <= 30000:
                problems.append(f"{aw}: body length {len(a['body'])} not in 30..30000")
            ah = a["hours_after"]
            if not 0 < ah < limit_h:
                problems.append(f"{aw}: hours_after {ah} not in (0, {limit_h})")
            _check_joined(problems, aw, a["author"], limit_h - ah, users)
            for i, c in enumerate(a["comments"]):
                cw = f"{aw} comment {i}"
                active.add(c["author"])
                n_comments += 1
                _check_comment(problems, cw, c, users, limit_h)
                if c["hours_after"] <= ah:
                    problems.append(f"{cw}: comment is older than its answer")
                if ah + c["hours_after"] >= limit_h:
                    problems.append(
                        f"{cw}: in the future if read relative to the answer"
                    )
                _check_joined(
                    problems, cw, c["author"], limit_h - c["hours_after"], users
                )

        if q["accepted"] is not None and q["accepted"] not in akeys:
            problems.append(
                f"{where}: accepted {q['accepted']!r} is not one of its answers"
            )
        if not answers:
            n_unanswered += 1
        elif q["accepted"] is None:
            n_open += 1
        else:
            n_accepted += 1

        for i, c in enumerate(q["comments"]):
            cw = f"{where} comment {i}"
            active.add(c["author"])
            n_comments += 1
            _check_comment(problems, cw, c, users, limit_h)
            _check_joined(problems, cw, c["author"], limit_h - c["hours_after"], users)

        last_h = 0.0
        for i, e in enumerate(q["edits"]):
            ew = f"{where} edit {i}"
            n_edits += 1
            if e["author"] != asker:
                problems.append(f"{ew}: edit author is not the question's author")
            if not e.get("summary"):
                problems.append(f"{ew}: missing summary")
            if not 30 <= len(e["body"]) <= 3000:
                problems.append(f"{ew}: body length {len(e['body'])} not in 30..3000")
            if not last_h < e["hours_after"] < limit_h:
                problems.append(f"{ew}: hours_after out of order or in the future")
            last_h = e["hours_after"]

    # Overall shape of the community
    if not 20 <= n_accepted <= 30:
        problems.append(
            f"{n_accepted} questions with an accepted answer, want about 25"
        )
    if not 5 <= n_open <= 12:
        problems.append(f"{n_open} answered-but-not-accepted questions, want about 8")
    if not 4 <= n_unanswered <= 9:
        problems.append(f"{n_unanswered} unanswered questions, want about 6")
    if not 45 <= n_comments <= 80:
        problems.append(f"{n_comments} comments, want about 60")
    if not 3 <= n_edits <= 8:
        problems.append(f"{n_edits} edits, want about 5")
    lurkers = [key for key in users if key not in active]
    if len(lurkers) < 2:
        problems.append("want at least 2 lurkers with no posts")
    for area, area_tags in _TOPIC_AREAS.items():
        count = sum(1 for q in QUESTIONS if area_tags & set(q["tags"]))
        if count < 5:
            problems.append(f"only {count} questions in topic area {area!r}")
    _check_microlearns(problems, users, tags)
    return problems


_FORMATS = ("video", "pdf", "article", "podcast", "quiz", "interactive", "other")
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,62}[a-z0-9]")
_CITE = re.compile(r"\[\[ml:([^\]]*)\]\]")
_URL = re.compile(r"https?://[^\s)>\]]+")
# Real sites the demo may link to; everything else it links to is inside the app.
EXTERNAL_HOSTS = ("outlook.office.com", "mysignins.microsoft.com")


def _texts() -> list[tuple[str, str, float]]:
    """Return every demo text as (where, text, hours ago it was written)."""
    texts = [(f"tag {t['name']!r} wiki", t.get("wiki", ""), 0.0) for t in TAGS]
    for q in QUESTIONS:
        limit_h = q["days_ago"] * 24
        texts.append((f"question {q['key']!r}", q["body"], limit_h))
        for e in q["edits"]:
            texts.append((f"question {q['key']!r} edit", e["body"], limit_h))
        for c in q["comments"]:
            texts.append((f"question {q['key']!r} comment", c["body"], limit_h))
        for a in q["answers"]:
            where = f"question {q['key']!r} answer {a['key']!r}"
            texts.append((where, a["body"], limit_h - a["hours_after"]))
            for c in a["comments"]:
                hours_ago = limit_h - c["hours_after"]
                texts.append((f"{where} comment", c["body"], hours_ago))
    return texts


def _check_microlearns(problems: list[str], users: dict, tags: set[str]) -> None:
    """Check the catalogue, its ratings, playlists and links to and from posts."""
    items = {m["key"]: m for m in MICROLEARNS}
    if len(items) != len(MICROLEARNS):
        problems.append("duplicate microlearn keys")
    if len(MICROLEARNS) < 20:
        problems.append(f"only {len(MICROLEARNS)} microlearns, need at least 20")
    if {m["format"] for m in MICROLEARNS} != set(_FORMATS):
        problems.append("the microlearns do not use every format")
    for m in MICROLEARNS:
        where = f"microlearn {m['key']!r}"
        if not _KEY.fullmatch(m["key"]):
            problems.append(f"{where}: bad key")
        if not 5 <= len(m["title"]) <= 150:
            problems.append(f"{where}: title length not in 5..150")
        if not 10 <= len(m["objective"]) <= 300:
            problems.append(f"{where}: objective length not in 10..300")
        if m["format"] not in _FORMATS:
            problems.append(f"{where}: bad format {m['format']!r}")
        if not 1 <= len(m["tags"]) <= 5 or not set(m["tags"]) <= tags:
            problems.append(f"{where}: needs 1..5 demo tags")
        if not 1 <= m["duration_minutes"] <= 60 or not m["version"]:
            problems.append(f"{where}: needs a duration of 1..60 and a version")
        if not 3 <= len(m["points"]) <= 6:
            problems.append(f"{where}: needs 3..6 points for its content page")
        if not 1 <= m["added_days_ago"] <= 400:
            problems.append(f"{where}: added_days_ago out of 1..400")

    for q in QUESTIONS:
        key = q.get("microlearn")
        if key is None:
            continue
        if key not in items:
            problems.append(f"question {q['key']!r}: unknown microlearn {key!r}")
        elif items[key]["added_days_ago"] < q["days_ago"]:
            problems.append(f"question {q['key']!r}: asked before {key!r} was added")
    for where, text, hours_ago in _texts():
        if "intranet.example.com" in text:
            problems.append(f"{where}: links to the placeholder intranet")
        for url in _URL.findall(text):
            if url.split("/")[2] not in EXTERNAL_HOSTS:
                problems.append(f"{where}: links outside the app to {url}")
        for key in _CITE.findall(text):
            if key not in items:
                problems.append(f"{where}: cites unknown microlearn {key!r}")
            elif hours_ago and items[key]["added_days_ago"] * 24 < hours_ago:
                problems.append(f"{where}: cites {key!r} before it was added")

    for key, ratings in RATINGS.items():
        members = [rating[0] for rating in ratings]
        if key not in items:
            problems.append(f"ratings of unknown microlearn {key!r}")
        if len(set(members)) != len(members) or not set(members) <= set(users):
            problems.append(f"ratings of {key!r}: unknown or repeated members")
        for rating in ratings:
            if rating[1] not in (1, 2, 3, 4, 5):
                problems.append(f"ratings of {key!r}: stars out of 1..5")
            if len(rating) > 2 and rating[2] not in (None, "accurate", "outdated"):
                problems.append(f"ratings of {key!r}: bad accuracy {rating[2]!r}")

    questions = {q["key"] for q in QUESTIONS}
    if len(PLAYLISTS) < 3:
        problems.append(f"only {len(PLAYLISTS)} playlists, need at least 3")
    for playlist in PLAYLISTS:
        where = f"playlist {playlist['title']!r}"
        if playlist["owner"] not in users:
            problems.append(f"{where}: unknown owner")
        keys = [key for key, _note in playlist["items"]]
        if len(set(keys)) != len(keys):
            problems.append(f"{where}: repeats an item")
        for key in keys:
            if key not in items and key not in questions:
                problems.append(f"{where}: unknown item {key!r}")

    for new in NEW_VERSIONS:
        item = items.get(new["microlearn"])
        if item is None or item["version"] == new["version"]:
            problems.append(f"new version of {new['microlearn']!r}: nothing new")
        elif not 0 < new["days_ago"] < item["added_days_ago"]:
            problems.append(f"new version of {new['microlearn']!r}: out of time")
