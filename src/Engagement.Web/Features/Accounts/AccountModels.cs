using System.ComponentModel.DataAnnotations;

namespace Engagement.Web.Features.Accounts;

public sealed class RegisterForm
{
    [Required(ErrorMessage = "Validation.Required"), EmailAddress(ErrorMessage = "Validation.Email"), StringLength(256, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.Email")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required"), StringLength(50, MinimumLength = 1, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.DisplayName")]
    public string DisplayName { get; set; } = "";

    /// <summary>Optional; a mainland mobile number (11 digits starting with 1), +86 allowed.</summary>
    [RegularExpression(@"^(\+86)?1[3-9]\d{9}$", ErrorMessage = "Validation.Phone")]
    [Display(Name = "Field.Phone")]
    public string? Phone { get; set; }

    [Required(ErrorMessage = "Validation.Required"), StringLength(128, MinimumLength = 8, ErrorMessage = "Validation.Length")]
    [DataType(DataType.Password), Display(Name = "Field.Password")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required"), Compare(nameof(Password), ErrorMessage = "Validation.PasswordsDiffer")]
    [DataType(DataType.Password), Display(Name = "Field.ConfirmPassword")]
    public string ConfirmPassword { get; set; } = "";
}

public sealed class LoginForm
{
    [Required(ErrorMessage = "Validation.Required"), EmailAddress(ErrorMessage = "Validation.Email"), StringLength(256, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.Email")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required"), StringLength(128, ErrorMessage = "Validation.Length")]
    [DataType(DataType.Password), Display(Name = "Field.Password")]
    public string Password { get; set; } = "";

    [Display(Name = "Field.RememberMe")]
    public bool RememberMe { get; set; }

    public string? ReturnUrl { get; set; }
}

public sealed class EmailForm
{
    [Required(ErrorMessage = "Validation.Required"), EmailAddress(ErrorMessage = "Validation.Email"), StringLength(256, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.Email")]
    public string Email { get; set; } = "";
}

public sealed class ResetPasswordForm
{
    [Required(ErrorMessage = "Validation.Required"), EmailAddress(ErrorMessage = "Validation.Email"), StringLength(256, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.Email")]
    public string Email { get; set; } = "";

    [Required]
    public string Code { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required"), StringLength(128, MinimumLength = 8, ErrorMessage = "Validation.Length")]
    [DataType(DataType.Password), Display(Name = "Field.NewPassword")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required"), Compare(nameof(Password), ErrorMessage = "Validation.PasswordsDiffer")]
    [DataType(DataType.Password), Display(Name = "Field.ConfirmPassword")]
    public string ConfirmPassword { get; set; } = "";
}

public sealed class ProfileForm
{
    [Required(ErrorMessage = "Validation.Required"), StringLength(50, MinimumLength = 1, ErrorMessage = "Validation.Length")]
    [Display(Name = "Field.DisplayName")]
    public string DisplayName { get; set; } = "";

    [RegularExpression(@"^(\+86)?1[3-9]\d{9}$", ErrorMessage = "Validation.Phone")]
    [Display(Name = "Field.Phone")]
    public string? Phone { get; set; }
}

public sealed class DeleteAccountForm
{
    [Required(ErrorMessage = "Validation.Required"), StringLength(128, ErrorMessage = "Validation.Length")]
    [DataType(DataType.Password), Display(Name = "Field.Password")]
    public string Password { get; set; } = "";
}

public sealed record ProfileView(User User, IReadOnlyList<string> Roles, string? UnitName, ProfileForm Form, IReadOnlyList<SignInSession> Sessions, Guid? CurrentSession);

public sealed class SecondFactorForm
{
    /// <summary>The six digits from the authenticator app (spaces and full-width digits are fine).</summary>
    [StringLength(20, ErrorMessage = "Validation.Length"), Display(Name = "Field.TwoFactorCode")]
    public string? Code { get; set; }

    /// <summary>Or one of the recovery codes given when the second factor was set up.</summary>
    [StringLength(40, ErrorMessage = "Validation.Length"), Display(Name = "Field.RecoveryCode")]
    public string? RecoveryCode { get; set; }
}

public sealed class CodeForm
{
    [Required(ErrorMessage = "Validation.Required"), StringLength(100, ErrorMessage = "Validation.Length")]
    public string Code { get; set; } = "";
}

public sealed class ChangePasswordForm
{
    [Required(ErrorMessage = "Validation.Required"), StringLength(128, ErrorMessage = "Validation.Length")]
    [DataType(DataType.Password), Display(Name = "Field.CurrentPassword")]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required"), StringLength(128, MinimumLength = 8, ErrorMessage = "Validation.Length")]
    [DataType(DataType.Password), Display(Name = "Field.NewPassword")]
    public string Password { get; set; } = "";

    [Required(ErrorMessage = "Validation.Required"), Compare(nameof(Password), ErrorMessage = "Validation.PasswordsDiffer")]
    [DataType(DataType.Password), Display(Name = "Field.ConfirmPassword")]
    public string ConfirmPassword { get; set; } = "";
}

public sealed record SecondFactorView(SecondFactorForm Form, DateTimeOffset? PausedUntil, bool Expired = false);
public sealed record SignInLinkView(string Code, bool Valid);
