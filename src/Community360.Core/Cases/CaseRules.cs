namespace Community360.Cases;

public static class CaseRules
{
    public const int TitleMax = 100;
    public const int DescriptionMax = 4000;
    public const int NoteMax = 2000;
    public const int ReasonMax = 500;
    public const int ExternalReferenceMax = 64;
}
