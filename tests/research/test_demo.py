"""The research demo: an approved project with pooled data from several organisations and
a researcher who belongs to no organisation (small numbers here; the demo uses 500)."""

from __future__ import annotations

from typing import Any

from koers.lib import hooks
from koers.organisations.models import Membership
from koers.research import demo
from koers.research.dataset import build_dataset
from koers.research.models import Participation, ResearchProject


def test_the_demo_project_pools_several_organisations_and_is_idempotent(
    org_a: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(demo, "N_PER_ORGANISATION", 40)
    line = demo.load_demo_research(org_a)
    again = demo.load_demo_research(org_a)
    assert demo.RESEARCHER in line
    assert line.splitlines()[0] == again.splitlines()[0]  # nothing added the second time
    project = ResearchProject.objects.get(slug=demo.PROJECT_SLUG)
    assert project.is_approved
    assert Participation.objects.filter(project=project, withdrawn__isnull=True).count() == 4
    researcher = project.members.get().user
    assert not Membership.objects.filter(user=researcher).exists()
    pooled = build_dataset(project)
    assert len(pooled.n_by_organisation) == 4
    assert pooled.n == 3 * 32  # four in five of each generated organisation consent
    assert demo.load_demo_research in hooks.demo_loaders.implementations()
    assert project.members.get().role == "lead"
    # A proposal awaits a decision by Koers staff, proposed by the same researcher.
    proposal = ResearchProject.objects.get(slug=demo.PROPOSAL_SLUG)
    assert proposal.state == ResearchProject.State.PENDING
    assert proposal.lead == researcher
    assert [(m.user, m.role) for m in proposal.members.all()] == [(researcher, "lead")]
    assert proposal.ethics_reference
    assert list(proposal.log.values_list("action", flat=True)) == ["research.propose"]
