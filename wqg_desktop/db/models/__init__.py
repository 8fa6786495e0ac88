"""All tables. ``ALL_MODELS`` is in dependency order (create order)."""

from wqg_desktop.db.models.assessment import (
    Attachment,
    Inspection,
    InspectionInspector,
    InspectionScore,
    Standard,
    StandardItem,
    SurveyQuestion,
    SurveyRound,
    SurveySheet,
    SurveyTemplate,
)
from wqg_desktop.db.models.base import (
    AuditLog,
    BaseModel,
    Office,
    Setting,
    SyncedModel,
    acting_as,
    audit,
    current_actor,
    database,
    new_uuid,
    now,
)
from wqg_desktop.db.models.campaign import (
    Campaign,
    CampaignNamingBody,
    CampaignQuota,
    Candidate,
    CandidateEvent,
    Objection,
    Plaque,
    ReReview,
    ReviewDecision,
    Title,
    TitleEvent,
    TitleNamingBody,
)
from wqg_desktop.db.models.exchange import KnownKey, OfficeIdentity, PackageLog
from wqg_desktop.db.models.org import (
    Bureau,
    BureauName,
    CalendarDay,
    LeadingGroupMember,
    NamingBody,
    PoliceType,
    Region,
    RegionName,
    ServiceCommitment,
    Supervisor,
    Unit,
    UnitHead,
    UnitLineage,
    UnitName,
    Volunteer,
)
from wqg_desktop.db.models.printing import PrinterCalibration, PrintLayout, PrintLog
from wqg_desktop.db.models.privacy import MinorDataDisclosure
from wqg_desktop.db.models.records import (
    Activity,
    ActivityUnit,
    CoBuilding,
    CoBuildingHelp,
    Consultation,
    ContactCardBatch,
    ContactPoint,
    PracticalProject,
    Referral,
    TrainingAttendance,
    TrainingSession,
)

ALL_MODELS: list[type[BaseModel]] = [
    Office, Setting, AuditLog,
    Region, RegionName, Bureau, BureauName, PoliceType, Unit, UnitName, UnitHead, UnitLineage,
    ServiceCommitment, Volunteer, NamingBody, LeadingGroupMember, Supervisor, CalendarDay,
    Campaign, CampaignNamingBody, CampaignQuota, Candidate, CandidateEvent, ReviewDecision,
    Objection, Title, TitleNamingBody, TitleEvent, Plaque, ReReview,
    Standard, StandardItem, Inspection, InspectionInspector, InspectionScore,
    SurveyTemplate, SurveyQuestion, SurveyRound, SurveySheet, Attachment,
    Consultation, Activity, ActivityUnit, TrainingSession, TrainingAttendance,
    CoBuilding, CoBuildingHelp, PracticalProject, Referral, ContactPoint, ContactCardBatch,
    MinorDataDisclosure,
    OfficeIdentity, KnownKey, PackageLog,
    PrintLayout, PrinterCalibration, PrintLog,
]

#: Models whose rows travel between offices in packages.
SYNCED_MODELS = [m for m in ALL_MODELS if issubclass(m, SyncedModel)]

__all__ = [m.__name__ for m in ALL_MODELS] + [
    "ALL_MODELS", "SYNCED_MODELS", "BaseModel", "SyncedModel", "acting_as", "audit",
    "current_actor", "database", "new_uuid", "now",
]
